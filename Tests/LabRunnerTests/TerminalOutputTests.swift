import Testing
@testable import LabRunner

/// What a terminal shows: lines that fit its width, a bar with the percent
/// done, and a sweep ETA that counts what the running points still need.
@Suite struct TerminalOutputTests {
    @Test(arguments: [45, 60, 80, 200])
    func theProgressLineFitsTheTerminal(columns: Int) {
        let line = ProgressReporter.line(epoch: 420, of: 1000, loss: 0.0123456, stepsPerSecond: 181.8, secondsLeft: 75, columns: columns)
        #expect(line.count <= columns - 1, "\(line)")
        #expect(line.hasPrefix("epoch 420/1000"))
        if columns >= 80 {
            #expect(line.contains(" 42%") && line.contains("[") && line.contains("ETA 1:15"))
            let bar = line.drop { $0 != "[" }.prefix { $0 != "]" }.dropFirst()
            #expect(Double(bar.filter { $0 == "█" }.count) / Double(bar.count) <= 0.42 && bar.contains("█"))
        }
    }

    @Test func aLogKeepsThePlainLine() {
        #expect(ProgressReporter.line(epoch: 50, of: 50, loss: 0.5, stepsPerSecond: 10, secondsLeft: 0, columns: nil)
                == "epoch 50/50  loss 0.5  10.0 steps/s  ETA 0:00")
    }

    @Test func theSweepBlockFitsTheTerminal() throws {
        var written = ""
        let display = SweepProgressDisplay(isTerminal: true, write: { written += $0 }, columns: { 45 })
        let plan = try SweepPlanTests().plan()
        display.begin(plan: plan, alreadyComplete: 0, jobs: 2)
        for _ in 0..<3 {
            display.refresh(done: 1, failed: 0, running: plan.points.prefix(2).map { ($0, "epoch 420/1000  loss 0.0123456  181.8 steps/s  ETA 1:15") },
                            pending: 1, elapsed: 12, secondsLeft: 80)
        }
        let lines = written.replacingOccurrences(of: "\u{1B}[1A", with: "").replacingOccurrences(of: "\u{1B}[2K", with: "")
            .split(separator: "\n").map { $0.replacingOccurrences(of: "\r", with: "") }
        #expect(!lines.isEmpty && lines.allSatisfy { $0.count <= 44 }, "\(lines)")
        // Each redraw moves up over exactly the lines it drew: 3 lines, twice.
        #expect(written.components(separatedBy: "\u{1B}[1A").count - 1 == 6)
    }

    @Test func theSweepETACountsTheRunningPointsOwnETAs() {
        #expect(SweepProgressDisplay.secondsLeft(inLine: "epoch 5/9  loss 1  2.0 steps/s  ETA 0:07") == 7)
        #expect(SweepProgressDisplay.secondsLeft(inLine: "epoch 5/9 ... ETA 1:02:03") == 3723)
        #expect(SweepProgressDisplay.secondsLeft(inLine: "starting") == nil)
        // Nothing finished yet, one point running with 7 s left: 7 s, not 0.
        #expect(SweepScheduler.secondsLeft(pending: 0, finishedDurations: [], running: [(10, 7)], jobs: 2) == 7)
        // Two running (3 s and 5 s left after 5 s each: points of 8 and 10 s), two pending of about 9 s, two at a time.
        #expect(SweepScheduler.secondsLeft(pending: 2, finishedDurations: [], running: [(5, 3), (5, 5)], jobs: 2) == 13, "(3 + 5 + 2 x 9) / 2")
        // Finished points give the average; a running point with no ETA yet counts the rest of an average point.
        #expect(SweepScheduler.secondsLeft(pending: 1, finishedDurations: [20], running: [(5, nil)], jobs: 1) == 35)
        #expect(SweepScheduler.secondsLeft(pending: 3, finishedDurations: [], running: [(1, nil)], jobs: 1) == nil)
    }
}
