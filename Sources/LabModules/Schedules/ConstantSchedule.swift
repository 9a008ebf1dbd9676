import LabCore

/// The optimizer's learning rate throughout.
public struct ConstantSchedule: LearningRateSchedule {
    public init() {}
    public func rate(epoch: Int, totalEpochs: Int, base: Double) -> Double { base }
}

extension ConstantSchedule {
    static func register(in registry: inout Registry) {
        registry.schedules.register("constant", summary: "the optimizer's learning rate throughout") { _, _ in ConstantSchedule() }
    }
}
