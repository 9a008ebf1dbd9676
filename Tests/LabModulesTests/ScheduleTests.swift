import Testing
import LabCore
@testable import LabModules

@Suite struct ScheduleTests {
    @Test func stepAndCosineRates() {
        let step = StepSchedule(every: 3, factor: 0.5)
        #expect((1...7).map { step.rate(epoch: $0, totalEpochs: 7, base: 0.1) } == [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025])
        let cosine = CosineSchedule(minimum: 0.01)
        #expect(cosine.rate(epoch: 1, totalEpochs: 5, base: 0.1) == 0.1)
        #expect(abs(cosine.rate(epoch: 3, totalEpochs: 5, base: 0.1) - 0.055) < 1e-12)
        #expect(abs(cosine.rate(epoch: 5, totalEpochs: 5, base: 0.1) - 0.01) < 1e-12)
        #expect(ConstantSchedule().rate(epoch: 9, totalEpochs: 10, base: 0.3) == 0.3)
    }

    @Test func pytorchLinearStaysWithinItsBound() {
        var rng = RandomGenerator(seed: 1)
        var tensor = Tensor(zeros: [100, 50])
        PyTorchLinear().fill(&tensor, fanIn: 100, fanOut: 50, using: &rng)
        #expect(tensor.scalars.allSatisfy { abs($0) <= 0.1 })
        #expect(tensor.scalars.contains { abs($0) > 0.09 })
    }
}
