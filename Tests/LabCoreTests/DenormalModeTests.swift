import Testing
@testable import LabCore

@Suite struct DenormalModeTests {
    /// A quarter of the smallest normal float is a denormal under IEEE rules
    /// and zero when flushing, in the calling thread and in every chunk of a
    /// parallel loop (the chunks run on worker threads).
    @Test func flushingZeroesDenormalResultsOnEveryThread() {
        #expect(DenormalMode.setFlushesToZero(true))
        #expect(DenormalMode.flushesToZero)
        let count = 4 * ParallelLoop.minimumParallelCount
        var values = [Float](repeating: .leastNormalMagnitude, count: count)
        let quarter = Float(count) / Float(4 * count)  // 0.25, not a compile-time constant
        values.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            ParallelLoop.forEachChunk(count: count) { range in
                for index in range { base[index] *= quarter }
            }
        }
        #expect(values.allSatisfy { $0 == 0 })
        var single: Float = .leastNormalMagnitude
        single *= quarter
        #expect(single == 0)
    }
}
