#include "CKernels.h"
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

int aelab_flush_denormals(int enabled) {
#if defined(__x86_64__) || defined(__i386__)
    // MXCSR bit 15 flushes denormal results to zero (FTZ), bit 6 reads denormal inputs as zero (DAZ).
    const unsigned int bits = 0x8040u;
    _mm_setcsr(enabled ? (_mm_getcsr() | bits) : (_mm_getcsr() & ~bits));
    return 1;
#elif defined(__aarch64__)
    // FPCR bit 24 (FZ) does both on ARM.
    unsigned long fpcr;
    __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
    fpcr = enabled ? (fpcr | (1ul << 24)) : (fpcr & ~(1ul << 24));
    __asm__ volatile("msr fpcr, %0" : : "r"(fpcr));
    return 1;
#else
    (void)enabled;
    return 0;
#endif
}

int aelab_flushes_denormals(void) {
#if defined(__x86_64__) || defined(__i386__)
    return (_mm_getcsr() & 0x8040u) == 0x8040u;
#elif defined(__aarch64__)
    unsigned long fpcr;
    __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
    return (fpcr >> 24) & 1;
#else
    return 0;
#endif
}
