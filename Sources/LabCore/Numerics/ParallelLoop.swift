import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Runs an elementwise loop over 0..<count in contiguous chunks, one per core
/// when the work is large enough to repay a thread hand-off (optimizer updates
/// over hundreds of thousands of parameters), inline otherwise. Chunk bounds
/// are multiples of 8 elements, so vector kernels start aligned to 32 bytes
/// whenever the buffer does. Each chunk runs in the caller's `DenormalMode`.
public enum ParallelLoop {
    /// Below this many elements one thread is faster than two.
    public static let minimumParallelCount = 1 << 16

    public static func forEachChunk(count: Int, _ body: (Range<Int>) -> Void) {
        forEachIndexedChunk(count: count) { range, _ in body(range) }
    }

    /// Splits 0..<count items (images of a batch) into one contiguous range
    /// per core when the items hold `scalarsPerItem` values enough between
    /// them to repay a thread hand-off; inline otherwise.
    public static func forEachChunk(items count: Int, scalarsPerItem: Int, _ body: (Range<Int>) -> Void) {
        forEachIndexedChunk(items: count, scalarsPerItem: scalarsPerItem) { range, _ in body(range) }
    }

    /// How many chunks `forEachIndexedChunk(items:scalarsPerItem:chunksPerCore:)` makes.
    public static func chunkCount(items count: Int, scalarsPerItem: Int, chunksPerCore: Int = 1) -> Int {
        count * scalarsPerItem >= minimumParallelCount ? min(count, ProcessInfoCores.count * chunksPerCore, 8 * chunksPerCore) : 1
    }

    /// As `forEachChunk(items:scalarsPerItem:)`, with each chunk's index
    /// (below `chunkCount`), so that per-chunk partial sums can be kept apart
    /// and added in chunk order. With more than one chunk per core, a core
    /// that finishes early takes the next chunk: on a machine shared with
    /// other work, a step need not wait out the time slice of a thread the
    /// scheduler has put aside. The chunks depend on the core count only.
    public static func forEachIndexedChunk(items count: Int, scalarsPerItem: Int, chunksPerCore: Int = 1,
                                           _ body: (Range<Int>, Int) -> Void) {
        let chunks = chunkCount(items: count, scalarsPerItem: scalarsPerItem, chunksPerCore: chunksPerCore)
        guard chunks > 1 else {
            body(0..<count, 0)
            return
        }
        forEachBlock(count: count, blocks: chunks, blockSize: (count + chunks - 1) / chunks, body)
    }

    /// The sum of `body` over the chunks: each chunk's value is kept apart and
    /// added in chunk order, so the total does not depend on thread timing.
    public static func sum(count: Int, _ body: (Range<Int>) -> Double) -> Double {
        var partials = [Double](repeating: 0, count: chunkCount(for: count))
        partials.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            forEachIndexedChunk(count: count) { range, chunk in base[chunk] = body(range) }
        }
        return partials.reduce(0, +)
    }

    static func chunkCount(for count: Int) -> Int {
        count >= minimumParallelCount ? max(1, min(ProcessInfoCores.count, 8)) : 1
    }

    static func forEachIndexedChunk(count: Int, _ body: (Range<Int>, Int) -> Void) {
        let chunks = chunkCount(for: count)
        guard chunks > 1 else {
            body(0..<count, 0)
            return
        }
        forEachBlock(count: count, blocks: chunks, blockSize: ((count + chunks - 1) / chunks + 7) & ~7, body)
    }

    /// Runs `body` concurrently on `blocks` contiguous ranges of `blockSize`
    /// items (the last one shorter, empty ones skipped), with each block's
    /// index, every block in the caller's `DenormalMode`.
    static func forEachBlock(count: Int, blocks: Int, blockSize: Int, _ body: (Range<Int>, Int) -> Void) {
        let flushing = DenormalMode.flushesToZero
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: blocks) { block in
                DenormalMode.setFlushesToZero(flushing)
                let start = block * blockSize
                let end = min(count, start + blockSize)
                if start < end { shared.value(start..<end, block) }
            }
        }
    }
}

/// Hands a value to the chunks of one `ParallelLoop` call; the chunks touch
/// disjoint ranges, which is what makes sharing it sound.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Cores available to this process, read once.
enum ProcessInfoCores {
    static let count: Int = {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }()
}
