import Testing
import LabCore
import LabModules
@testable import RecallAnalysis

@Suite struct RecallFromNoiseTests {
    /// f(x) = x/2 + c: every input settles at 2c.
    func contraction(towards fixedPoint: [Float]) -> Network {
        let size = fixedPoint.count
        let layer = Dense(inputSize: size, units: size, usesBias: true, kernelInitializer: Constant(0), biasInitializer: Constant(0))
        var kernel = Tensor(zeros: [size, size])
        for index in 0..<size { kernel[index * size + index] = 0.5 }
        layer.kernel.value = kernel
        layer.bias!.value = Tensor(shape: [size], scalars: fixedPoint.map { $0 / 2 })
        return Network(inputShape: [size], layers: [layer], layerNames: ["dense_1"])
    }

    func analysis(_ source: RecallFromNoise.Source) -> RecallFromNoise {
        RecallFromNoise(starts: 40, source: source, noise: 0.3, tolerance: 0.05,
                        iteration: FixedPointIteration(tolerance: 1e-6, budget: 200, extendedBudget: 200), seed: 5)
    }

    func summary(_ result: AnalysisResult, _ key: String) -> ConfigValue? {
        result.summary.first { $0.key == key }?.value
    }

    @Test func inputsSettlingAtATrainingPointAreRecalled() throws {
        let points = Tensor(shape: [2, 3], scalars: [0.2, 0.4, 0.6, 3, 3, 3])
        for source in RecallFromNoise.Source.allCases {
            let result = try analysis(source).run(network: contraction(towards: [0.2, 0.4, 0.6]), trainingPoints: points)
            #expect(summary(result, "recalled") == .int(40), "\(source)")
            #expect(summary(result, "distinct_points_recalled") == .int(1))
            #expect(summary(result, "spurious") == .int(0))
        }
    }

    @Test func inputsSettlingElsewhereAreSpurious() throws {
        let points = Tensor(shape: [2, 3], scalars: [0, 0, 0, 3, 3, 3])
        let result = try analysis(.uniform).run(network: contraction(towards: [1.5, 0, 1.5]), trainingPoints: points)
        #expect(summary(result, "recalled") == .int(0))
        #expect(summary(result, "spurious") == .int(40), "\(result.summary)")
        #expect(result.arrays.first { $0.name == "destination" }!.tensor.scalars.allSatisfy { $0 == -1 })
    }
}
