import Foundation

/// Means and 95% confidence intervals over repeats (Student's t).
public enum ReportStatistics {
    public static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    /// Half-width of the 95% interval of the mean: t(0.975, n−1) · s / √n; nil below two values.
    public static func confidenceHalfWidth(_ values: [Double]) -> Double? {
        guard values.count >= 2, let mean = mean(values) else { return nil }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        return studentT975(degreesOfFreedom: values.count - 1) * (variance / Double(values.count)).squareRoot()
    }

    /// The 97.5% quantile of Student's t distribution.
    static func studentT975(degreesOfFreedom df: Int) -> Double {
        let table = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
                     2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
        if df <= table.count { return table[df - 1] }
        if df <= 60 { return 2.000 + (2.042 - 2.000) * Double(60 - df) / 30 }
        return df <= 120 ? 1.980 : 1.960
    }
}
