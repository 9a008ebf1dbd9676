import Testing
@testable import LabCore

@Suite struct ParallelLoopTests {
    @Test(arguments: [0, 5, 8, 1000, ParallelLoop.minimumParallelCount + 13])
    func chunksCoverTheRangeOnceEach(count: Int) {
        var hits = [UInt8](repeating: 0, count: count)
        hits.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress
            ParallelLoop.forEachChunk(count: count) { range in
                #expect(range.lowerBound % 8 == 0)
                for index in range { base![index] += 1 }
            }
        }
        #expect(hits.allSatisfy { $0 == 1 })
    }

    @Test(arguments: [0, 10, ParallelLoop.minimumParallelCount * 3 + 5])
    func sumAddsEveryChunkOnce(count: Int) {
        let total = ParallelLoop.sum(count: count) { range in Double(range.reduce(0, +)) }
        #expect(total == Double(count * (count - 1) / 2))
    }
}
