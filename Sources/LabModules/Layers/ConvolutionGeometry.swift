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
/// The im2col copies walk whole runs: for one output pixel and kernel row, the
/// receptive field is kw·channels consecutive input values, so each run is
/// one memcpy (or one vector add) instead of a call per value.
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

    /// The receptive fields of a batch as rows [batch · pixels, patchSize].
    func imageToColumns(_ images: Tensor) -> Tensor {
        let batch = images.rows
        return images.withUnsafeBufferPointer { x in
            Tensor(shape: [batch * pixels, patchSize]) { columns in
                let (source, destination) = (x.baseAddress!, columns.baseAddress!)
                ParallelLoop.forEachChunk(items: batch, scalarsPerItem: pixels * patchSize) { images in
                    for image in images { copyPatches(of: image, from: source, into: destination) }
                }
            }
        }
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
    /// the slices its receptive field points at, starting from `bias`.
    func sumPatches(_ products: Tensor, filters: Int, batch: Int, bias: Tensor?) -> Tensor {
        let rowLength = kernelHeight * kernelWidth * filters
        return products.withUnsafeBufferPointer { z in
            Tensor(shape: [batch, outputHeight, outputWidth, filters]) { out in
                let (z, out) = (z.baseAddress!, out.baseAddress!)
                let bias = bias?.scalars ?? [Float](repeating: 0, count: filters)
                ParallelLoop.forEachChunk(items: batch, scalarsPerItem: pixels * rowLength) { images in
                    for image in images {
                        for oy in 0..<outputHeight {
                            for ox in 0..<outputWidth {
                                let sum = out + (image * pixels + oy * outputWidth + ox) * filters
                                for f in 0..<filters { sum[f] = bias[f] }
                                for ky in 0..<kernelHeight {
                                    guard let (y, x0, inside) = run(oy: oy, ox: ox, ky: ky) else { continue }
                                    for kx in inside {
                                        let slice = z + ((image * height + y) * width + x0 + kx) * rowLength
                                            + (ky * kernelWidth + kx) * filters
                                        for f in 0..<filters { sum[f] += slice[f] }
                                    }
                                }
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
                            for ox in 0..<outputWidth {
                                let gradient = g + (image * pixels + oy * outputWidth + ox) * filters
                                for ky in 0..<kernelHeight {
                                    guard let (y, x0, inside) = run(oy: oy, ox: ox, ky: ky) else { continue }
                                    for kx in inside {
                                        let slice = z + ((image * height + y) * width + x0 + kx) * rowLength
                                            + (ky * kernelWidth + kx) * filters
                                        for f in 0..<filters { slice[f] += gradient[f] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return products
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

    private func copyPatches(of image: Int, from x: UnsafePointer<Float>, into columns: UnsafeMutablePointer<Float>) {
        let rowLength = kernelWidth * channels
        for oy in 0..<outputHeight {
            for ox in 0..<outputWidth {
                var destination = columns + (image * pixels + oy * outputWidth + ox) * patchSize
                for ky in 0..<kernelHeight {
                    defer { destination += rowLength }
                    guard let (y, x0, inside) = run(oy: oy, ox: ox, ky: ky) else {
                        destination.update(repeating: 0, count: rowLength)
                        continue
                    }
                    let before = inside.lowerBound * channels
                    let length = inside.count * channels
                    destination.update(repeating: 0, count: before)
                    (destination + before).update(from: x + ((image * height + y) * width + x0 + inside.lowerBound) * channels,
                                                  count: length)
                    (destination + before + length).update(repeating: 0, count: rowLength - before - length)
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
