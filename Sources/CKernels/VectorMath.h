#ifndef AELAB_VECTOR_MATH_H
#define AELAB_VECTOR_MATH_H
#include <stdint.h>
#include <string.h>

// Branch-free logf and expf that the compiler vectorises inside a loop (libm's
// are calls, one value at a time). Cephes's single-precision polynomials: about
// one ulp from the correctly rounded result over the ranges the kernels use.

// Kernels marked with this get an AVX2 version, picked when the library loads
// if the CPU has it: eight lanes instead of SSE2's four. The avx2 target does
// not enable FMA, so nothing is contracted and each lane performs the same
// IEEE operations in both versions; the kernels fix their summation lanes in
// the source, so both give identical results.
#if defined(__x86_64__) && defined(__linux__)
#define AELAB_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define AELAB_VECTOR_CLONES
#endif

static inline float aelab_bits_to_float(uint32_t bits) {
    float value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

static inline uint32_t aelab_float_to_bits(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    return bits;
}

/// log(x) for positive normal x (NaN stays NaN): x = m 2^e with m in
/// [sqrt(1/2), sqrt(2)), log x = e log 2 + log m, log m by a polynomial in m - 1.
static inline float aelab_log(float x) {
    uint32_t bits = aelab_float_to_bits(x);
    int32_t exponent = (int32_t)(bits >> 23) - 127;
    float m = aelab_bits_to_float((bits & 0x007fffffu) | 0x3f800000u);
    int above = m > 1.41421356f;
    m = above ? 0.5f * m : m;
    float e = (float)(exponent + above);
    float f = m - 1.0f;
    float z = f * f;
    float y = 7.0376836292e-2f;
    y = y * f - 1.1514610310e-1f;
    y = y * f + 1.1676998740e-1f;
    y = y * f - 1.2420140846e-1f;
    y = y * f + 1.4249322787e-1f;
    y = y * f - 1.6668057665e-1f;
    y = y * f + 2.0000714765e-1f;
    y = y * f - 2.4999993993e-1f;
    y = y * f + 3.3333331174e-1f;
    y = y * f * z;
    // log 2 in two parts, so e log 2 adds without rounding away log m's low bits.
    y += -2.12194440e-4f * e;
    y += -0.5f * z;
    float result = f + y + 0.693359375f * e;
    return x == x ? result : x;
}

/// exp(x) for x <= 0, flushed to exp(-87) (the smallest normal power) below
/// that: x = n log 2 + r with |r| <= log 2 / 2, exp x = 2^n exp r.
static inline float aelab_exp_nonpositive(float x) {
    x = x < -87.0f ? -87.0f : x;
    // Adding 1.5 * 2^23 rounds x log2(e) to the nearest integer in the low bits.
    const float shifter = 12582912.0f;
    float n = (x * 1.44269504f + shifter) - shifter;
    float r = x - n * 0.693359375f + n * 2.12194440e-4f;
    float y = 1.9875691500e-4f;
    y = y * r + 1.3981999507e-3f;
    y = y * r + 8.3334519073e-3f;
    y = y * r + 4.1665795894e-2f;
    y = y * r + 1.6666665459e-1f;
    y = y * r + 5.0000001201e-1f;
    y = y * r * r + r + 1.0f;
    return y * aelab_bits_to_float((uint32_t)((int32_t)n + 127) << 23);
}
#endif
