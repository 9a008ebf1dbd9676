import Foundation

/// Wall-clock timing for benchmarks.
enum BenchmarkTimer {
    /// Seconds per call: the fastest of `rounds` rounds, each repeating the
    /// call for at least its share of `minimumSeconds`. Taking the fastest
    /// round keeps interference from other work on a shared host out of both
    /// the step's and sgemm's figures alike.
    static func time(minimumSeconds: Double, rounds: Int = 5, _ body: () throws -> Void) rethrows -> Double {
        for _ in 0..<3 { try body() }
        let clock = ContinuousClock()
        var fastest = Double.infinity
        for _ in 0..<rounds {
            let start = clock.now
            var calls = 0
            var elapsed = 0.0
            repeat {
                try body()
                calls += 1
                elapsed = (clock.now - start).inSeconds
            } while elapsed < minimumSeconds / Double(rounds) || calls < 3
            fastest = min(fastest, elapsed / Double(calls))
        }
        return fastest
    }
}
