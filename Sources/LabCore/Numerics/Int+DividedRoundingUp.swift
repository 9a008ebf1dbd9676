extension Int {
    /// ⌈self / divisor⌉ for self >= 0 and divisor > 0, without the overflow
    /// of (self + divisor - 1) / divisor when the divisor comes from a config.
    public func dividedRoundingUp(by divisor: Int) -> Int {
        self / divisor + (self % divisor == 0 ? 0 : 1)
    }
}
