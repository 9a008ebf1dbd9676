import CKernels
import LabCore

/// A stride-1 convolution computed directly (CKernels' `aelab_conv_*`) on
/// zero-padded images instead of through im2col and sgemm. A small layer's
/// products are too narrow for sgemm (inner dimension 9 to 144, 1 to 16
/// columns): it spends as long packing them as multiplying. The input
/// gradient is the same kernel run on the padded output gradient with the
/// kernel flipped and its channels and filters swapped; the kernel gradient
/// sums per-image products, added per chunk of images and then in chunk
/// order, so it depends on the core count only.
struct DirectConvolution: Sendable {
    let geometry: ConvolutionGeometry
    let filters: Int

    /// Whether the kernels' vector code covers both the forward pass and the
    /// input gradient of this convolution.
    static func fits(_ geometry: ConvolutionGeometry, filters: Int) -> Bool {
        geometry.stride == 1 && aelab_conv_fits(geometry.channels, filters) != 0 && aelab_conv_fits(filters, geometry.channels) != 0
    }

    var paddedHeight: Int { geometry.outputHeight + geometry.kernelHeight - 1 }
    var paddedWidth: Int { geometry.outputWidth + geometry.kernelWidth - 1 }

    /// The output of a batch of images and the padded images (what the kernel
    /// gradient reads).
    func forward(_ input: Tensor, kernel: Tensor, bias: Tensor?) -> (output: Tensor, padded: Tensor) {
        let g = geometry
        let padded = Self.pad(input, top: g.padTop, left: g.padLeft, height: paddedHeight, width: paddedWidth)
        let output = Self.correlate(padded, channels: g.channels, kernel: kernel, kernelHeight: g.kernelHeight,
                                    kernelWidth: g.kernelWidth, filters: filters, bias: bias,
                                    outputHeight: g.outputHeight, outputWidth: g.outputWidth)
        return (output, padded)
    }

    /// The gradient with respect to the input images of the output gradient `outputGradient`.
    func inputGradient(_ outputGradient: Tensor, kernel: Tensor) -> Tensor {
        let g = geometry
        let (kh, kw) = (g.kernelHeight, g.kernelWidth)
        let padded = Self.pad(outputGradient, top: kh - 1 - g.padTop, left: kw - 1 - g.padLeft,
                              height: g.height + kh - 1, width: g.width + kw - 1)
        return Self.correlate(padded, channels: filters, kernel: flipped(kernel), kernelHeight: kh, kernelWidth: kw,
                              filters: g.channels, bias: nil, outputHeight: g.height, outputWidth: g.width)
    }

    /// The kernel gradient, (kh, kw, in, out) as the kernel, from the padded
    /// images `forward` returned and the output gradient.
    func kernelGradient(padded: Tensor, outputGradient: Tensor, into gradient: inout Tensor) {
        let g = geometry
        let (batch, size) = (padded.rows, g.patchSize * filters)
        let perImage = (padded.count / max(batch, 1), g.pixels * filters)
        let chunks = ParallelLoop.chunkCount(items: batch, scalarsPerItem: perImage.0)
        var partials = [Float](repeating: 0, count: chunks * size)
        padded.withUnsafeBufferPointer { x in
            outputGradient.withUnsafeBufferPointer { dy in
                partials.withUnsafeMutableBufferPointer { parts in
                    let (x, dy, parts) = (x.baseAddress!, dy.baseAddress!, parts.baseAddress!)
                    ParallelLoop.forEachIndexedChunk(items: batch, scalarsPerItem: perImage.0) { images, chunk in
                        for image in images {
                            aelab_conv_kernel_gradient(x + image * perImage.0, g.channels, g.kernelHeight, g.kernelWidth,
                                                       dy + image * perImage.1, filters, g.outputHeight, g.outputWidth,
                                                       parts + chunk * size)
                        }
                    }
                }
            }
        }
        gradient.withUnsafeMutableBufferPointer { out in
            for index in 0..<size {
                var sum = partials[index]
                for chunk in 1..<chunks { sum += partials[chunk * size + index] }
                out[index] = sum
            }
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

    /// Each image [h, w, c] of a batch inside a zero border: [height, width, c]
    /// with the image's top-left pixel at (top, left).
    static func pad(_ images: Tensor, top: Int, left: Int, height: Int, width: Int) -> Tensor {
        let (batch, rows, columns, channels) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
        var padded = Tensor(zeros: [batch, height, width, channels])
        images.withUnsafeBufferPointer { x in
            padded.withUnsafeMutableBufferPointer { p in
                let (x, p) = (x.baseAddress!, p.baseAddress!)
                ParallelLoop.forEachChunk(items: batch, scalarsPerItem: height * width * channels) { chunk in
                    for image in chunk {
                        for y in 0..<rows {
                            (p + ((image * height + top + y) * width + left) * channels)
                                .update(from: x + (image * rows + y) * columns * channels, count: columns * channels)
                        }
                    }
                }
            }
        }
        return padded
    }

    /// `aelab_conv_forward` on every padded image of a batch, split across cores by images.
    static func correlate(_ padded: Tensor, channels: Int, kernel: Tensor, kernelHeight: Int, kernelWidth: Int, filters: Int,
                          bias: Tensor?, outputHeight: Int, outputWidth: Int) -> Tensor {
        let batch = padded.rows
        let (inSize, outSize) = (padded.count / max(batch, 1), outputHeight * outputWidth * filters)
        let biasScalars = bias?.scalars ?? [Float](repeating: 0, count: filters)
        var output = Tensor(shape: [batch, outputHeight, outputWidth, filters]) { _ in }
        padded.withUnsafeBufferPointer { x in
            kernel.withUnsafeBufferPointer { w in
                biasScalars.withUnsafeBufferPointer { b in
                    output.withUnsafeMutableBufferPointer { y in
                        let (x, w, b, y) = (x.baseAddress!, w.baseAddress!, b.baseAddress!, y.baseAddress!)
                        ParallelLoop.forEachChunk(items: batch, scalarsPerItem: inSize * kernelHeight * kernelWidth) { images in
                            for image in images {
                                aelab_conv_forward(x + image * inSize, channels, w, kernelHeight, kernelWidth, filters,
                                                   b, y + image * outSize, outputHeight, outputWidth)
                            }
                        }
                    }
                }
            }
        }
        return output
    }
}
