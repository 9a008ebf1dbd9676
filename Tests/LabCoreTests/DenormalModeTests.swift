import Testing
@testable import LabCore

@Suite struct DenormalModeTests {
    /// A quarter of the smallest normal float over a buffer large enough to
    /// split, on the calling thread and in the chunks (worker threads).
    func quarters(flushing: Bool) -> [Float] {
        let callerFlushes = DenormalMode.flushesToZero
        #expect(DenormalMode.setFlushesToZero(flushing))
        defer { DenormalMode.setFlushesToZero(callerFlushes) }
        #expect(DenormalMode.flushesToZero == flushing)
        let count = 4 * ParallelLoop.minimumParallelCount
        var values = [Float](repeating: .leastNormalMagnitude, count: count + 1)
        let quarter = Float(count) / Float(4 * count)  // 0.25, not a compile-time constant
        values.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            ParallelLoop.forEachChunk(count: count) { range in
                for index in range { base[index] *= quarter }
            }
            base[count] *= quarter
        }
        return values
    }

    /// Flushing gives zeros in every chunk, IEEE mode the denormal itself;
    /// either way the caller's mode comes back.
    @Test func chunksRunInTheCallersMode() {
        let before = DenormalMode.flushesToZero
        #expect(quarters(flushing: true).allSatisfy { $0 == 0 })
        #expect(quarters(flushing: false).allSatisfy { $0 == Float.leastNormalMagnitude / 4 && $0 > 0 })
        #expect(DenormalMode.flushesToZero == before)
    }
}
