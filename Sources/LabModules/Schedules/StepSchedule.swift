import Foundation
import LabCore

/// The rate times `factor` after every `every` epochs (PyTorch's StepLR):
/// epochs 1...every use the base rate, the next `every` base x factor, ...
public struct StepSchedule: LearningRateSchedule {
    public var every: Int
    public var factor: Double

    public init(every: Int, factor: Double) {
        self.every = every
        self.factor = factor
    }

    public func rate(epoch: Int, totalEpochs: Int, base: Double) -> Double {
        base * pow(factor, Double((epoch - 1) / every))
    }
}

extension StepSchedule {
    static func register(in registry: inout Registry) {
        registry.schedules.register("step", summary: "multiply the rate by factor every N epochs", parameters: [
            .integer("every", range: .atLeast(1), doc: "epochs between drops"),
            .number("factor", default: 0.1, range: ParameterRange(lower: 0, lowerInclusive: false, upper: 1), doc: "multiplier at each drop"),
        ]) { config, _ in
            StepSchedule(every: try config.int("every"), factor: try config.double("factor"))
        }
    }
}
