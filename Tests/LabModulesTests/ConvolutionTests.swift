import Testing
import LabCore
import TestSupport
@testable import LabModules

@Suite struct ConvolutionTests {
    static let uniform = VarianceScaling(scale: 1, mode: .fanAverage, distribution: .uniform)

    func conv(_ input: [Int], filters: Int, size: Int, stride: Int, same: Bool, bias: Bool, direct: Bool = true) -> Conv2D {
        let layer = Conv2D(inputShape: input, filters: filters, kernelHeight: size, kernelWidth: size, stride: stride, same: same,
                           usesBias: bias, kernelInitializer: Self.uniform, biasInitializer: Self.uniform, direct: direct)
        var rng = RandomGenerator(seed: 3)
        layer.initializeParameters(using: &rng)
        return layer
    }

    /// Direct convolution, TensorFlow's padding, in Double.
    func direct(_ layer: Conv2D, _ input: Tensor) -> [Double] {
        let g = layer.geometry
        let filters = layer.outputShape[2]
        var out: [Double] = []
        for image in 0..<input.rows {
            for oy in 0..<g.outputHeight {
                for ox in 0..<g.outputWidth {
                    for f in 0..<filters {
                        var sum = Double(layer.bias?.value[f] ?? 0)
                        for ky in 0..<g.kernelHeight {
                            for kx in 0..<g.kernelWidth {
                                let (y, x) = (oy * g.stride + ky - g.padTop, ox * g.stride + kx - g.padLeft)
                                guard y >= 0, y < g.height, x >= 0, x < g.width else { continue }
                                for c in 0..<g.channels {
                                    let value = input[((image * g.height + y) * g.width + x) * g.channels + c]
                                    let weight = layer.kernel.value[((ky * g.kernelWidth + kx) * g.channels + c) * filters + f]
                                    sum += Double(value) * Double(weight)
                                }
                            }
                        }
                        out.append(sum)
                    }
                }
            }
        }
        return out
    }

    /// More filters than channels take the im2col route; fewer, the
    /// output-side route; even kernels have TensorFlow's uneven padding.
    static let cases: [(stride: Int, same: Bool, bias: Bool, channels: Int, filters: Int, size: Int)] = [
        (1, true, true, 2, 3, 3), (2, true, false, 2, 3, 3), (2, false, true, 2, 3, 3), (1, false, false, 2, 3, 3),
        (1, true, true, 3, 1, 3), (2, true, true, 4, 1, 3), (1, true, false, 3, 2, 4), (1, false, true, 3, 1, 2),
    ]

    @Test(arguments: 0..<8)
    func convolutionMatchesDirectComputationAndFiniteDifferences(caseIndex: Int) {
        let (stride, same, bias, channels, filters, size) = Self.cases[caseIndex]
        let layer = conv([5, 6, channels], filters: filters, size: size, stride: stride, same: same, bias: bias)
        #expect(layer.multipliesFirst == (caseIndex >= 4))
        let input = FiniteDifferences.inputAwayFromZero(shape: [2, 5, 6, channels])
        let output = layer.forward(input).output
        #expect(output.shape == [2] + layer.outputShape)
        #expect(zip(output.scalars, direct(layer, input)).allSatisfy { abs(Double($0) - $1) < 1e-5 })
        if same { #expect(layer.outputShape == [(5 + stride - 1) / stride, (6 + stride - 1) / stride, filters]) }
        let errors = FiniteDifferences.relativeErrors(layer, input: input)
        #expect(Set(errors.keys) == (bias ? ["input", "kernel", "bias"] : ["input", "kernel"]))
        for (name, error) in errors { #expect(error < 1e-3, "\(name): \(error)") }
        #expect(FiniteDifferences.jvpRelativeError(layer, input: input) < 1e-3)
    }

    /// One input channel (an encoder's first layer) copies im2col's rows one
    /// value at a time, `stride` pixels apart; 7 x 9 images give runs that the
    /// padding cuts on both sides.
    @Test(arguments: [(1, true), (2, true), (1, false), (2, false)])
    func oneChannelConvolutionMatchesDirectComputationAndFiniteDifferences(stride: Int, same: Bool) {
        let layer = conv([7, 9, 1], filters: 4, size: 3, stride: stride, same: same, bias: true)
        #expect(!layer.multipliesFirst)
        let input = FiniteDifferences.inputAwayFromZero(shape: [3, 7, 9, 1])
        let output = layer.forward(input).output
        #expect(zip(output.scalars, direct(layer, input)).allSatisfy { abs(Double($0) - $1) < 1e-5 })
        let errors = FiniteDifferences.relativeErrors(layer, input: input)
        for (name, error) in errors { #expect(error < 1e-3, "\(name): \(error)") }
    }

    /// A batch large enough that the products split across cores by rows:
    /// the output against a direct convolution, the input gradient against
    /// the jvp (⟨J v, g⟩ = ⟨v, Jᵀ g⟩), the kernel gradient by linearity in the
    /// kernel (without bias, ⟨K, ∂⟨y, g⟩/∂K⟩ = ⟨y, g⟩), on both sgemm routes
    /// and the direct kernels.
    @Test(arguments: [(1, 8, false), (8, 1, false), (1, 8, true), (8, 1, true)])
    func largeBatchesSplitAcrossCoresAndStayExact(channels: Int, filters: Int, directKernels: Bool) {
        let layer = conv([12, 12, channels], filters: filters, size: 3, stride: 1, same: true, bias: false, direct: directKernels)
        #expect(layer.multipliesFirst == (filters < channels))
        #expect((layer.direct != nil) == directKernels)
        var rng = RandomGenerator(seed: 9)
        let input = Tensor(shape: [64, 12, 12, channels]) { rng.fillNormal($0) }
        let tangent = Tensor(shape: input.shape) { rng.fillNormal($0) }
        let g = Tensor(shape: [64, 12, 12, filters]) { rng.fillNormal($0) }
        let (output, cache) = layer.forward(input)
        #expect(zip(output.scalars, direct(layer, input)).allSatisfy { abs(Double($0) - $1) < 1e-4 })
        let inputGradient = layer.backward(g, cache: cache, needsInputGradient: true)!
        func dot(_ a: [Float], _ b: [Float]) -> Double { zip(a, b).reduce(0) { $0 + Double($1.0) * Double($1.1) } }
        let outputDotG = dot(output.scalars, g.scalars)
        let jvpDotG = dot(layer.jvp(tangent, cache: cache).scalars, g.scalars)
        #expect(abs(jvpDotG - dot(tangent.scalars, inputGradient.scalars)) < 1e-4 * abs(jvpDotG))
        #expect(abs(dot(layer.kernel.value.scalars, layer.kernel.gradient.scalars) - outputDotG) < 1e-4 * abs(outputDotG))
    }

    /// ⟨T x, y⟩ = ⟨x, C y⟩ where C is the Conv2D that T transposes, with the
    /// same kernel values: T's (kh, kw, filters, in) is C's (kh, kw, in, out).
    @Test(arguments: [(2, 3, true), (2, 3, false), (1, 3, true), (2, 2, false), (3, 2, false)])
    func transposedConvolutionIsTheAdjointOfConvolution(stride: Int, size: Int, same: Bool) {
        let transposed = ConvTranspose2D(inputShape: [3, 4, 2], filters: 3, kernelSize: size, stride: stride, same: same, usesBias: false,
                                         kernelInitializer: Self.uniform, biasInitializer: Self.uniform)
        var rng = RandomGenerator(seed: 4)
        transposed.initializeParameters(using: &rng)
        let outputShape = transposed.outputShape
        if same { #expect(outputShape == [3 * stride, 4 * stride, 3]) }
        else { #expect(outputShape == [3 * stride + max(size - stride, 0), 4 * stride + max(size - stride, 0), 3]) }
        let convolution = Conv2D(inputShape: outputShape, filters: 2, kernelHeight: size, kernelWidth: size, stride: stride, same: same,
                                 usesBias: false, kernelInitializer: Self.uniform, biasInitializer: Self.uniform)
        convolution.kernel.value = transposed.kernel.value
        #expect(convolution.outputShape == [3, 4, 2])
        let x = FiniteDifferences.inputAwayFromZero(shape: [2, 3, 4, 2], seed: 8)
        let y = FiniteDifferences.inputAwayFromZero(shape: [2] + outputShape, seed: 9)
        let left = zip(transposed.forward(x).output.scalars, y.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let right = zip(x.scalars, convolution.forward(y).output.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        #expect(abs(left - right) < 1e-4 * max(1, abs(left)), "\(left) vs \(right)")
    }

    @Test func transposedConvolutionGradientsAndJVP() {
        let layer = ConvTranspose2D(inputShape: [3, 4, 2], filters: 3, kernelSize: 3, stride: 2, same: true, usesBias: true,
                                    kernelInitializer: Self.uniform, biasInitializer: Self.uniform)
        var rng = RandomGenerator(seed: 5)
        layer.initializeParameters(using: &rng)
        let input = FiniteDifferences.inputAwayFromZero(shape: [2, 3, 4, 2])
        let errors = FiniteDifferences.relativeErrors(layer, input: input)
        #expect(Set(errors.keys) == ["input", "kernel", "bias"])
        for (name, error) in errors { #expect(error < 1e-3, "\(name): \(error)") }
        #expect(FiniteDifferences.jvpRelativeError(layer, input: input) < 1e-3)
    }

    /// One pixel through a 2 x 2 kernel at stride 2 paints the kernel, times the pixel, plus the bias.
    @Test func transposedConvolutionOfOnePixelPaintsTheKernel() {
        let layer = ConvTranspose2D(inputShape: [1, 1, 1], filters: 1, kernelSize: 2, stride: 2, same: false, usesBias: true,
                                    kernelInitializer: Self.uniform, biasInitializer: Self.uniform)
        layer.kernel.value = Tensor(shape: [2, 2, 1, 1], scalars: [1, 2, 3, 4])
        layer.bias!.value = Tensor(shape: [1], scalars: [0.5])
        let output = layer.forward(Tensor(shape: [1, 1, 1, 1], scalars: [2])).output
        #expect(output == Tensor(shape: [1, 2, 2, 1], scalars: [2.5, 4.5, 6.5, 8.5]))
    }

    @Test func poolingAndUpsampling() {
        let input = FiniteDifferences.inputAwayFromZero(shape: [2, 4, 6, 3])
        let pool = MaxPool2D(inputShape: [4, 6, 3], size: 2)
        #expect(pool.forward(input).output.shape == [2, 2, 3, 3])
        #expect(FiniteDifferences.relativeErrors(pool, input: input, step: 1e-3)["input"]! < 1e-3)
        #expect(FiniteDifferences.jvpRelativeError(pool, input: input, step: 1e-3) < 1e-3)
        let up = Upsample2D(inputShape: [4, 6, 3], factor: 2)
        let upsampled = up.forward(input).output
        #expect(upsampled.shape == [2, 8, 12, 3])
        #expect(upsampled[((1 * 8 + 3) * 12 + 5) * 3 + 2] == input[((1 * 4 + 1) * 6 + 2) * 3 + 2])
        #expect(FiniteDifferences.relativeErrors(up, input: input)["input"]! < 1e-3)
        #expect(FiniteDifferences.jvpRelativeError(up, input: input) < 1e-3)
    }

    @Test func imageLayersSayWhatShapeTheyNeed() {
        let registry = BuiltinModules.registry
        let node = ConfigNode.synthesized(.map([.init("type", .string("conv2d")), .init("filters", .int(4))]), keyPath: "model.layers[0]")
        let error = #expect(throws: ConfigError.self) { try registry.buildLayer(node, context: BuildContext(registry: registry, inputShape: [784])) }
        #expect(error?.description.contains("conv2d needs images [height, width, channels]") == true)
    }
}
