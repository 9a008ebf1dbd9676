import CKernels
import Testing
import LabCore
import TestSupport
@testable import LabModules

/// The direct kernels against the sgemm routes on the same parameters, and
/// against finite differences: the shapes of the conv denoising net's layers
/// (1 -> 16, 16 -> 8, 8 -> 8, 8 -> 16, 16 -> 1), 24 filters (a pair of vectors
/// and a single one), valid padding and an even kernel's uneven padding, on
/// images whose widths leave pixels over after the kernels' blocks; each
/// vector width this CPU runs (AVX-512, AVX2, plain loops) on its own.
@Suite struct DirectConvolutionTests {
    static let cases: [(channels: Int, filters: Int, size: Int, same: Bool)] = [
        (1, 16, 3, true), (16, 8, 3, true), (8, 8, 3, false), (8, 16, 2, true), (16, 1, 3, true), (8, 24, 3, true), (24, 1, 2, false),
    ]

    static let vectorWidths: [Int] = [512, 256, 0].filter { $0 <= Int(aelab_conv_vector_bits()) }

    func layers(_ index: Int, height: Int = 6, width: Int = 9, vectorBits: Int32 = aelab_conv_vector_bits()) -> (direct: Conv2D, blas: Conv2D) {
        let (channels, filters, size, same) = Self.cases[index]
        let make = { (direct: Bool) in
            Conv2D(inputShape: [height, width, channels], filters: filters, kernelHeight: size, kernelWidth: size, stride: 1,
                   same: same, usesBias: true, kernelInitializer: ConvolutionTests.uniform,
                   biasInitializer: ConvolutionTests.uniform, direct: direct, directVectorBits: vectorBits)
        }
        let (direct, blas) = (make(true), make(false))
        var rng = RandomGenerator(seed: 11)
        direct.initializeParameters(using: &rng)
        blas.kernel.value = direct.kernel.value
        blas.bias!.value = direct.bias!.value
        return (direct, blas)
    }

    func agree(_ a: Tensor, _ b: Tensor) -> Bool {
        let scale = max(b.scalars.map(abs).max() ?? 0, 1e-6)
        return a.shape == b.shape && zip(a.scalars, b.scalars).allSatisfy { abs($0 - $1) <= 1e-5 * scale }
    }

    @Test(arguments: 0..<7, vectorWidths)
    func directKernelsAgreeWithSgemm(caseIndex: Int, vectorBits: Int) {
        let (direct, blas) = layers(caseIndex, height: 11, width: 13, vectorBits: Int32(vectorBits))
        #expect(direct.direct != nil && blas.direct == nil)
        var rng = RandomGenerator(seed: 12)
        let input = Tensor(shape: [5] + direct.inputShape) { rng.fillNormal($0) }
        let g = Tensor(shape: [5] + direct.outputShape) { rng.fillNormal($0) }
        let (ours, ourCache) = direct.forward(input)
        let (theirs, theirCache) = blas.forward(input)
        #expect(agree(ours, theirs))
        let ourInputGradient = direct.backward(g, cache: ourCache, needsInputGradient: true)!
        let theirInputGradient = blas.backward(g, cache: theirCache, needsInputGradient: true)!
        #expect(agree(ourInputGradient, theirInputGradient))
        #expect(agree(direct.kernel.gradient, blas.kernel.gradient))
        #expect(agree(direct.bias!.gradient, blas.bias!.gradient))
        let tangent = Tensor(shape: input.shape) { rng.fillNormal($0) }
        #expect(agree(direct.jvp(tangent, cache: ourCache), blas.jvp(tangent, cache: theirCache)))
    }

    @Test(arguments: 0..<7)
    func directKernelsMatchFiniteDifferences(caseIndex: Int) {
        let layer = layers(caseIndex).direct
        let input = FiniteDifferences.inputAwayFromZero(shape: [2] + layer.inputShape)
        let errors = FiniteDifferences.relativeErrors(layer, input: input)
        #expect(Set(errors.keys) == ["input", "kernel", "bias"])
        for (name, error) in errors { #expect(error < 1e-3, "\(name): \(error)") }
        #expect(FiniteDifferences.jvpRelativeError(layer, input: input) < 1e-3)
    }

    /// Strided layers and filter counts the vector code does not cover keep sgemm.
    @Test func otherShapesKeepSgemm() {
        let strided = ConvolutionGeometry(input: [8, 8, 8], kernelHeight: 3, kernelWidth: 3, stride: 2, same: true)
        let plain = ConvolutionGeometry(input: [8, 8, 8], kernelHeight: 3, kernelWidth: 3, stride: 1, same: true)
        let oneChannel = ConvolutionGeometry(input: [8, 8, 1], kernelHeight: 3, kernelWidth: 3, stride: 1, same: true)
        #expect(!DirectConvolution.fits(strided, filters: 8))
        #expect(!DirectConvolution.fits(plain, filters: 3))
        #expect(!DirectConvolution.fits(oneChannel, filters: 1))
        #expect(DirectConvolution.fits(plain, filters: 16) && DirectConvolution.fits(oneChannel, filters: 8))
    }
}
