import CKernels
import LabCore

/// A stride-1 convolution computed directly (CKernels' `aelab_conv_*`) on
/// zero-padded images instead of through im2col and sgemm. A small layer's
/// products are too narrow for sgemm (inner dimension 9 to 144, 1 to 16
/// columns): it spends as long packing them as multiplying them.
///
/// Each pass is one split of the batch across cores, each chunk padding its
/// images one at a time into a buffer of its own: a step then waits for
/// other threads once per layer and pass, not once per copy, and a few
/// chunks per core balance the load when other work shares the machine. The input
/// gradient is the forward kernel run on the padded output gradient with
/// the kernel flipped and its channels and filters swapped; the kernel and
/// bias gradients are summed per chunk and the chunks added in order, so
/// they depend on the core count only.
struct DirectConvolution: Sendable {
    let geometry: ConvolutionGeometry
    let filters: Int
    /// The widest vector code the kernels may use (see `aelab_conv_vector_bits`).
    let vectorBits: Int32

    /// Chunks of a batch per core (see `ParallelLoop.forEachIndexedChunk`).
    static let chunksPerCore = 4

    /// Whether the kernels' vector code covers both the forward pass and the
    /// input gradient of this convolution.
    static func fits(_ geometry: ConvolutionGeometry, filters: Int) -> Bool {
        geometry.stride == 1 && aelab_conv_fits(geometry.channels, filters) != 0 && aelab_conv_fits(filters, geometry.channels) != 0
    }

    /// An image inside its zero border: the forward pass's input, or the
    /// output gradient for the input gradient.
    struct Border {
        let height, width, channels, top, left, paddedHeight, paddedWidth: Int
        var paddedCount: Int { paddedHeight * paddedWidth * channels }

        /// Copies image `index` of `images` into `padded`, whose border is zero.
        func fill(_ padded: UnsafeMutablePointer<Float>, from images: UnsafePointer<Float>, index: Int) {
            let source = images + index * height * width * channels
            for y in 0..<height {
                (padded + ((top + y) * paddedWidth + left) * channels).update(from: source + y * width * channels, count: width * channels)
            }
        }
    }

    var inputBorder: Border {
        let g = geometry
        return Border(height: g.height, width: g.width, channels: g.channels, top: g.padTop, left: g.padLeft,
                      paddedHeight: g.outputHeight + g.kernelHeight - 1, paddedWidth: g.outputWidth + g.kernelWidth - 1)
    }

    var gradientBorder: Border {
        let g = geometry
        return Border(height: g.outputHeight, width: g.outputWidth, channels: filters,
                      top: g.kernelHeight - 1 - g.padTop, left: g.kernelWidth - 1 - g.padLeft,
                      paddedHeight: g.height + g.kernelHeight - 1, paddedWidth: g.width + g.kernelWidth - 1)
    }

    /// The output [batch, outputHeight, outputWidth, filters] of images [batch, height, width, channels].
    func forward(_ input: Tensor, kernel: Tensor, bias: Tensor?) -> Tensor {
        let (g, border, batch) = (geometry, inputBorder, input.rows)
        let outSize = g.pixels * filters
        let biasScalars = bias?.scalars ?? [Float](repeating: 0, count: filters)
        var output = Tensor(shape: [batch, g.outputHeight, g.outputWidth, filters]) { _ in }
        input.withUnsafeBufferPointer { x in
            kernel.withUnsafeBufferPointer { w in
                biasScalars.withUnsafeBufferPointer { b in
                    output.withUnsafeMutableBufferPointer { y in
                        let (x, w, b, y) = (x.baseAddress!, w.baseAddress!, b.baseAddress!, y.baseAddress!)
                        ParallelLoop.forEachIndexedChunk(items: batch, scalarsPerItem: outSize * g.patchSize,
                                                         chunksPerCore: Self.chunksPerCore) { images, _ in
                            var padded = [Float](repeating: 0, count: border.paddedCount)
                            padded.withUnsafeMutableBufferPointer { p in
                                for image in images {
                                    border.fill(p.baseAddress!, from: x, index: image)
                                    aelab_conv_forward(p.baseAddress!, g.channels, w, g.kernelHeight, g.kernelWidth, filters,
                                                       b, y + image * outSize, g.outputHeight, g.outputWidth, vectorBits)
                                }
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// Writes the kernel gradient (and the bias gradient, when given) of the
    /// output gradient at `input`, and returns the input gradient when asked.
    func backward(_ outputGradient: Tensor, input: Tensor, kernel: Tensor, kernelGradient: inout Tensor,
                  biasGradient: UnsafeMutableBufferPointer<Float>?, needsInputGradient: Bool) -> Tensor? {
        let (g, batch) = (geometry, input.rows)
        let size = g.patchSize * filters
        let chunks = ParallelLoop.chunkCount(items: batch, scalarsPerItem: g.pixels * size, chunksPerCore: Self.chunksPerCore)
        var partials = [Float](repeating: 0, count: chunks * (size + filters))
        var inputGradient = Tensor(shape: needsInputGradient ? [batch, g.height, g.width, g.channels] : [0]) { _ in }
        let flippedKernel = flipped(kernel)
        input.withUnsafeBufferPointer { x in
            outputGradient.withUnsafeBufferPointer { dy in
                flippedKernel.withUnsafeBufferPointer { flipped in
                    partials.withUnsafeMutableBufferPointer { parts in
                        inputGradient.withUnsafeMutableBufferPointer { dx in
                            let pointers = Pointers(x: x.baseAddress!, dy: dy.baseAddress!, flipped: flipped.baseAddress!,
                                                    partials: parts.baseAddress!, dx: needsInputGradient ? dx.baseAddress! : nil)
                            ParallelLoop.forEachIndexedChunk(items: batch, scalarsPerItem: g.pixels * size,
                                                             chunksPerCore: Self.chunksPerCore) { images, chunk in
                                backward(images, chunk: chunk, pointers)
                            }
                        }
                    }
                }
            }
        }
        kernelGradient.withUnsafeMutableBufferPointer { add(partials, chunks: chunks, stride: size + filters, from: 0, into: $0) }
        if let biasGradient { add(partials, chunks: chunks, stride: size + filters, from: size, into: biasGradient) }
        return needsInputGradient ? inputGradient : nil
    }

    private struct Pointers {
        let x, dy, flipped: UnsafePointer<Float>
        let partials: UnsafeMutablePointer<Float>
        let dx: UnsafeMutablePointer<Float>?
    }

    /// One chunk of images: kernel and bias gradients into the chunk's
    /// partial sums, input gradients into their images.
    private func backward(_ images: Range<Int>, chunk: Int, _ p: Pointers) {
        let (g, input, gradient) = (geometry, inputBorder, gradientBorder)
        let size = g.patchSize * filters
        let (partial, biasPartial) = (p.partials + chunk * (size + filters), p.partials + chunk * (size + filters) + size)
        var paddedInput = [Float](repeating: 0, count: input.paddedCount)
        var paddedGradient = [Float](repeating: 0, count: p.dx == nil ? 0 : gradient.paddedCount)
        let zeros = [Float](repeating: 0, count: g.channels)
        paddedInput.withUnsafeMutableBufferPointer { px in
            paddedGradient.withUnsafeMutableBufferPointer { pg in
                for image in images {
                    let dy = p.dy + image * g.pixels * filters
                    aelab_add_column_sums(dy, g.pixels, filters, biasPartial)
                    input.fill(px.baseAddress!, from: p.x, index: image)
                    aelab_conv_kernel_gradient(px.baseAddress!, g.channels, g.kernelHeight, g.kernelWidth, dy, filters,
                                               g.outputHeight, g.outputWidth, partial, vectorBits)
                    guard let dx = p.dx else { continue }
                    gradient.fill(pg.baseAddress!, from: p.dy, index: image)
                    aelab_conv_forward(pg.baseAddress!, filters, p.flipped, g.kernelHeight, g.kernelWidth, g.channels,
                                       zeros, dx + image * g.inputSize, g.height, g.width, vectorBits)
                }
            }
        }
    }

    /// out[i] = the sum over chunks, in order, of partials[chunk · stride + offset + i].
    private func add(_ partials: [Float], chunks: Int, stride: Int, from offset: Int, into out: UnsafeMutableBufferPointer<Float>) {
        for index in 0..<out.count {
            var sum = partials[offset + index]
            for chunk in 1..<chunks { sum += partials[chunk * stride + offset + index] }
            out[index] = sum
        }
    }

    /// K'[ky, kx, f, c] = K[kh - 1 - ky, kw - 1 - kx, c, f]: the kernel of the input gradient.
    private func flipped(_ kernel: Tensor) -> Tensor {
        let (kh, kw, channels) = (geometry.kernelHeight, geometry.kernelWidth, geometry.channels)
        return kernel.withUnsafeBufferPointer { k in
            Tensor(shape: [kh, kw, filters, channels]) { out in
                for position in 0..<(kh * kw) {
                    let source = k.baseAddress! + (kh * kw - 1 - position) * channels * filters
                    for c in 0..<channels {
                        for f in 0..<filters { out[(position * filters + f) * channels + c] = source[c * filters + f] }
                    }
                }
            }
        }
    }
}
