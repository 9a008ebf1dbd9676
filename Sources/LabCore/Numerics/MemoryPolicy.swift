import CKernels

/// How the process's allocator treats large blocks.
public enum MemoryPolicy {
    /// Keeps large allocations on the heap for reuse. glibc serves blocks of a
    /// few hundred KB and up with fresh `mmap` pages and returns them on free,
    /// so every training step's activations and gradients (MBs each) page-fault
    /// and are zeroed by the kernel again: a third of a 3072-wide network's
    /// backward pass. Reusing them costs only that the process keeps its peak
    /// memory until it exits. Call once, before training.
    public static func reuseLargeAllocations() {
        aelab_reuse_large_allocations()
    }
}
