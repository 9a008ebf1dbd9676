import LabCore

/// Sizes of one 2-D convolution of channels-last images (input, kernel,
/// stride, padding, output) and the two copies that turn it into one sgemm:
/// im2col lays each output pixel's receptive field out as a row of
/// kh·kw·channels values (zeros where padding), col2im adds such rows back
/// onto their pixels. `same` padding follows TensorFlow: output size
/// ceil(size / stride), the odd pixel of padding at the bottom and right.
///
/// When a layer has fewer filters than input channels, `sumPatches` and
/// `spreadPatches` do the same work on the output side: multiply first
/// (every pixel by every kernel position), then gather, so nothing
/// kh·kw·channels wide is ever written.
///
/// im2col, `sumPatches` and `spreadPatches` walk one output row and kernel
/// position at a time: the output columns whose receptive field lands inside
/// the image form one run with fixed strides on both sides, so the inner loop
/// has no bounds logic and, with one filter or one channel, no per-pixel
/// calls (a decoder's last layer and an encoder's first). col2im still walks
/// one pixel and kernel row at a time: kw·channels consecutive values.
struct ConvolutionGeometry: Sendable {
    let height, width, channels: Int
    let kernelHeight, kernelWidth, stride: Int
    let same: Bool
    let padTop, padLeft: Int
    let outputHeight, outputWidth: Int

    var patchSize: Int { kernelHeight * kernelWidth * channels }
    var pixels: Int { outputHeight * outputWidth }
    var inputSize: Int { height * width * channels }

    /// The Keras config keys of a convolution with this kernel, stride and padding.
    var kerasOptions: [ConfigValue.Entry] {
        [ConfigValue.Entry("kernel_size", .list([.int(kernelHeight), .int(kernelWidth)])),
         ConfigValue.Entry("strides", .list([.int(stride), .int(stride)])),
         ConfigValue.Entry("padding", .string(same ? "same" : "valid")),
         ConfigValue.Entry("data_format", .string("channels_last"))]
    }

    init(input: [Int], kernelHeight: Int, kernelWidth: Int, stride: Int, same: Bool) {
        (height, width, channels) = (input[0], input[1], input[2])
        (self.kernelHeight, self.kernelWidth, self.stride, self.same) = (kernelHeight, kernelWidth, stride, same)
        if same {
            outputHeight = height.dividedRoundingUp(by: stride)
            outputWidth = width.dividedRoundingUp(by: stride)
            padTop = max((outputHeight - 1) * stride + kernelHeight - height, 0) / 2
            padLeft = max((outputWidth - 1) * stride + kernelWidth - width, 0) / 2
        } else {
            outputHeight = (height - kernelHeight) / stride + 1
            outputWidth = (width - kernelWidth) / stride + 1
            (padTop, padLeft) = (0, 0)
        }
    }

    /// The receptive fields of a batch as rows [batch · pixels, patchSize]
    /// (zeros where padding).
    func imageToColumns(_ images: Tensor) -> Tensor {
        let batch = images.rows
        var columns = Tensor(zeros: [batch * pixels, patchSize])
        images.withUnsafeBufferPointer { x in
            columns.withUnsafeMutableBufferPointer { c in
                let (source, destination) = (x.baseAddress!, c.baseAddress!)
                ParallelLoop.forEachChunk(items: batch, scalarsPerItem: pixels * patchSize) { images in
                    for image in images { copyPatches(of: image, from: source, into: destination) }
                }
            }
        }
        return columns
    }

    /// Sums rows [batch · pixels, patchSize] back onto the pixels they were
    /// taken from: the adjoint of `imageToColumns`.
    func columnsToImage(_ columns: Tensor, batch: Int) -> Tensor {
        var images = Tensor(zeros: [batch, height, width, channels])
        columns.withUnsafeBufferPointer { c in
            images.withUnsafeMutableBufferPointer { x in
                let (source, destination) = (c.baseAddress!, x.baseAddress!)
                ParallelLoop.forEachChunk(items: batch, scalarsPerItem: pixels * patchSize) { images in
                    for image in images { addPatches(of: image, from: source, into: destination) }
                }
            }
        }
        return images
    }

    /// The output-side form of the convolution, for layers with fewer
    /// filters than input channels: `products` holds, for every input pixel,
    /// its channels times each kernel position's [channels, filters] slice
    /// (rows [batch · height · width, kh·kw·filters]); each output pixel sums
    /// the slices its receptive field points at, starting from `bias`, in
    /// kernel order.
    func sumPatches(_ products: Tensor, filters: Int, batch: Int, bias: Tensor?) -> Tensor {
        let rowLength = kernelHeight * kernelWidth * filters
        return products.withUnsafeBufferPointer { z in
            Tensor(shape: [batch, outputHeight, outputWidth, filters]) { out in
                let (z, out) = (z.baseAddress!, out.baseAddress!)
                let bias = bias?.scalars ?? [Float](repeating: 0, count: filters)
                ParallelLoop.forEachChunk(items: batch, scalarsPerItem: pixels * rowLength) { images in
                    for image in images {
                        for oy in 0..<outputHeight {
                            let sums = out + (image * pixels + oy * outputWidth) * filters
                            for ox in 0..<outputWidth { (sums + ox * filters).update(from: bias, count: filters) }
                            forEachRun(oy: oy) { y, position, x, columns in
                                let slice = z + ((image * height + y) * width + x) * rowLength + position * filters
                                Self.add(columns.count, from: slice, step: stride * rowLength,
                                         into: sums + columns.lowerBound * filters, step: filters, width: filters)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The adjoint of `sumPatches`: each output pixel's gradient is copied to
    /// the slice of every product it summed (zeros where none did).
    func spreadPatches(_ outputGradient: Tensor, filters: Int, batch: Int) -> Tensor {
        let rowLength = kernelHeight * kernelWidth * filters
        var products = Tensor(zeros: [batch * height * width, rowLength])
        outputGradient.withUnsafeBufferPointer { g in
            products.withUnsafeMutableBufferPointer { z in
                let (g, z) = (g.baseAddress!, z.baseAddress!)
                ParallelLoop.forEachChunk(items: batch, scalarsPerItem: pixels * rowLength) { images in
                    for image in images {
                        for oy in 0..<outputHeight {
                            let gradients = g + (image * pixels + oy * outputWidth) * filters
                            forEachRun(oy: oy) { y, position, x, columns in
                                let slice = z + ((image * height + y) * width + x) * rowLength + position * filters
                                Self.add(columns.count, from: gradients + columns.lowerBound * filters, step: filters,
                                         into: slice, step: stride * rowLength, width: filters)
                            }
                        }
                    }
                }
            }
        }
        return products
    }

    /// For output row oy, each kernel position (row-major) whose kernel row
    /// lands inside the image: the input row y, the position's index, the
    /// input column x under the run's first output column, and the run of
    /// output columns whose kernel column lands inside too.
    @inline(__always)
    private func forEachRun(oy: Int, _ body: (_ y: Int, _ position: Int, _ x: Int, _ columns: Range<Int>) -> Void) {
        for ky in 0..<kernelHeight {
            let y = oy * stride + ky - padTop
            guard y >= 0, y < height else { continue }
            for kx in 0..<kernelWidth {
                let offset = kx - padLeft
                let first = offset >= 0 ? 0 : (stride - 1 - offset) / stride
                let end = offset >= width ? 0 : min(outputWidth, (width - 1 - offset) / stride + 1)
                guard first < end else { continue }
                body(y, ky * kernelWidth + kx, first * stride + offset, first..<end)
            }
        }
    }

    /// target[i·targetStep + j] += source[i·sourceStep + j] for i < count, j < width.
    @inline(__always)
    private static func add(_ count: Int, from source: UnsafePointer<Float>, step sourceStep: Int,
                            into target: UnsafeMutablePointer<Float>, step targetStep: Int, width: Int) {
        guard width > 1 else {
            for i in 0..<count { target[i * targetStep] += source[i * sourceStep] }
            return
        }
        for i in 0..<count {
            let (from, to) = (source + i * sourceStep, target + i * targetStep)
            for j in 0..<width { to[j] += from[j] }
        }
    }

    /// For output pixel (oy, ox) and kernel row ky: the input row y, or nil
    /// when it lies in the padding, and the kernel columns that land inside.
    @inline(__always)
    private func run(oy: Int, ox: Int, ky: Int) -> (y: Int, x0: Int, inside: Range<Int>)? {
        let y = oy * stride + ky - padTop
        guard y >= 0, y < height else { return nil }
        let x0 = ox * stride - padLeft
        let first = max(0, -x0)
        let end = min(kernelWidth, width - x0)
        return (y, x0, first..<max(first, end))
    }

    /// Fills one image's rows of zeroed columns: each kernel position's run of
    /// output columns reads input pixels `stride` apart.
    private func copyPatches(of image: Int, from x: UnsafePointer<Float>, into columns: UnsafeMutablePointer<Float>) {
        for oy in 0..<outputHeight {
            let rows = columns + (image * pixels + oy * outputWidth) * patchSize
            forEachRun(oy: oy) { y, position, x0, run in
                let source = x + ((image * height + y) * width + x0) * channels
                let target = rows + run.lowerBound * patchSize + position * channels
                guard channels > 1 else {
                    for i in 0..<run.count { target[i * patchSize] = source[i * stride] }
                    return
                }
                for i in 0..<run.count {
                    (target + i * patchSize).update(from: source + i * stride * channels, count: channels)
                }
            }
        }
    }

    private func addPatches(of image: Int, from columns: UnsafePointer<Float>, into x: UnsafeMutablePointer<Float>) {
        let rowLength = kernelWidth * channels
        for oy in 0..<outputHeight {
            for ox in 0..<outputWidth {
                var source = columns + (image * pixels + oy * outputWidth + ox) * patchSize
                for ky in 0..<kernelHeight {
                    defer { source += rowLength }
                    guard let (y, x0, inside) = run(oy: oy, ox: ox, ky: ky) else { continue }
                    let from = source + inside.lowerBound * channels
                    let to = x + ((image * height + y) * width + x0 + inside.lowerBound) * channels
                    for i in 0..<(inside.count * channels) { to[i] += from[i] }
                }
            }
        }
    }
}
