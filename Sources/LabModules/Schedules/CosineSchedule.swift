import Foundation
import LabCore

/// Cosine annealing from the base rate in the first epoch to `minimum` in the
/// last: minimum + (base - minimum)(1 + cos(π (epoch-1)/(total-1)))/2.
public struct CosineSchedule: LearningRateSchedule {
    public var minimum: Double

    public init(minimum: Double) {
        self.minimum = minimum
    }

    public func rate(epoch: Int, totalEpochs: Int, base: Double) -> Double {
        guard totalEpochs > 1 else { return base }
        let progress = Double(epoch - 1) / Double(totalEpochs - 1)
        return minimum + (base - minimum) * (1 + cos(Double.pi * progress)) / 2
    }
}

extension CosineSchedule {
    static func register(in registry: inout Registry) {
        registry.schedules.register("cosine", summary: "cosine annealing from the rate to minimum over the run", parameters: [
            .number("minimum", default: 0, range: .nonNegative, doc: "the rate in the last epoch"),
        ]) { config, _ in
            CosineSchedule(minimum: try config.double("minimum"))
        }
    }
}
