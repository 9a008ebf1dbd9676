#include "CKernels.h"
#include "VectorMath.h"

// Direct stride-1 convolution of one zero-padded channels-last image, for the
// narrow products of small convolutions (inner dimension kh·kw·channels of 9
// to 144, 1 to 16 filters), where sgemm spends as long packing its operands
// as multiplying them. Each output pixel (or kernel-gradient entry) sums its
// terms in an order fixed by the shape alone, so results do not depend on
// threads. The AVX2 versions keep a block of outputs in registers and use
// FMA; on CPUs without them the plain loops below run instead (other
// rounding, the same values to float precision).

static void forward_plain(const float *restrict x, size_t channels, const float *restrict w, size_t kh, size_t kw,
                          size_t filters, const float *restrict bias, float *restrict y, size_t out_h, size_t out_w) {
    const size_t in_w = out_w + kw - 1;
    for (size_t oy = 0; oy < out_h; oy++) {
        for (size_t ox = 0; ox < out_w; ox++) {
            float *out = y + (oy * out_w + ox) * filters;
            for (size_t f = 0; f < filters; f++) out[f] = bias[f];
            for (size_t ky = 0; ky < kh; ky++) {
                for (size_t kx = 0; kx < kw; kx++) {
                    const float *in = x + ((oy + ky) * in_w + ox + kx) * channels;
                    const float *k = w + (ky * kw + kx) * channels * filters;
                    for (size_t c = 0; c < channels; c++) {
                        for (size_t f = 0; f < filters; f++) out[f] += in[c] * k[c * filters + f];
                    }
                }
            }
        }
    }
}

static void kernel_gradient_plain(const float *restrict x, size_t channels, size_t kh, size_t kw,
                                  const float *restrict g, size_t filters, size_t out_h, size_t out_w,
                                  float *restrict dw) {
    const size_t in_w = out_w + kw - 1;
    for (size_t ky = 0; ky < kh; ky++) {
        for (size_t kx = 0; kx < kw; kx++) {
            float *d = dw + (ky * kw + kx) * channels * filters;
            for (size_t oy = 0; oy < out_h; oy++) {
                for (size_t ox = 0; ox < out_w; ox++) {
                    const float *in = x + ((oy + ky) * in_w + ox + kx) * channels;
                    const float *grad = g + (oy * out_w + ox) * filters;
                    for (size_t c = 0; c < channels; c++) {
                        for (size_t f = 0; f < filters; f++) d[c * filters + f] += in[c] * grad[f];
                    }
                }
            }
        }
    }
}

#if defined(__x86_64__)
#include <immintrin.h>
#define AVX2_FMA __attribute__((target("avx2,fma"), always_inline)) static inline
#define AVX2_FMA_ENTRY __attribute__((target("avx2,fma"))) static

AVX2_FMA float horizontal_sum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// PIXELS consecutive output pixels of row oy times VECTORS·8 filters from f0:
// one weight load per vector and one broadcast per pixel feed PIXELS·VECTORS FMAs.
AVX2_FMA void forward_block(const float *x, size_t in_w, size_t channels, const float *w, size_t kh, size_t kw,
                            size_t filters, size_t f0, const float *bias, float *y, size_t out_w, size_t oy, size_t ox,
                            const int PIXELS, const int VECTORS) {
    __m256 acc[8][2];
    for (int p = 0; p < PIXELS; p++) {
        for (int v = 0; v < VECTORS; v++) acc[p][v] = _mm256_loadu_ps(bias + f0 + 8 * v);
    }
    for (size_t ky = 0; ky < kh; ky++) {
        for (size_t kx = 0; kx < kw; kx++) {
            const float *in = x + ((oy + ky) * in_w + ox + kx) * channels;
            const float *k = w + (ky * kw + kx) * channels * filters + f0;
            for (size_t c = 0; c < channels; c++) {
                __m256 weights[2];
                for (int v = 0; v < VECTORS; v++) weights[v] = _mm256_loadu_ps(k + c * filters + 8 * v);
                for (int p = 0; p < PIXELS; p++) {
                    const __m256 value = _mm256_broadcast_ss(in + p * channels + c);
                    for (int v = 0; v < VECTORS; v++) acc[p][v] = _mm256_fmadd_ps(value, weights[v], acc[p][v]);
                }
            }
        }
    }
    float *out = y + (oy * out_w + ox) * filters + f0;
    for (int p = 0; p < PIXELS; p++) {
        for (int v = 0; v < VECTORS; v++) _mm256_storeu_ps(out + p * filters + 8 * v, acc[p][v]);
    }
}

// A row of out_w pixels as blocks of at most `most` pixels that differ by
// at most one (14 as 7 + 7, not 8 + 4 + 2): a small block has too few
// independent FMA chains to hide their latency.
typedef struct { size_t count, base, longer; } row_blocks;

static inline row_blocks split_row(size_t out_w, size_t most) {
    const size_t count = (out_w + most - 1) / most;
    return (row_blocks){count, out_w / count, out_w % count};
}

#define CASES_UP_TO_8(CALL) \
    switch (pixels) { \
        case 8: CALL(8); break; case 7: CALL(7); break; case 6: CALL(6); break; case 5: CALL(5); break; \
        case 4: CALL(4); break; case 3: CALL(3); break; case 2: CALL(2); break; default: CALL(1); break; \
    }
#define CASES_UP_TO_4(CALL) \
    switch (pixels) { case 4: CALL(4); break; case 3: CALL(3); break; case 2: CALL(2); break; default: CALL(1); break; }

// Filters a multiple of 8: the filters are the vector lanes, up to 4 pixels
// by 16 filters or 8 pixels by 8 filters in registers (more would spill:
// the broadcasts need registers too).
AVX2_FMA_ENTRY void forward_by_filters(const float *x, size_t channels, const float *w, size_t kh, size_t kw,
                                       size_t filters, const float *bias, float *y, size_t out_h, size_t out_w) {
    const size_t in_w = out_w + kw - 1;
    for (size_t f0 = 0; f0 < filters;) {
        const int pair = filters - f0 >= 16;
        const row_blocks blocks = split_row(out_w, pair ? 4 : 8);
        for (size_t oy = 0; oy < out_h; oy++) {
            size_t ox = 0;
            for (size_t b = 0; b < blocks.count; b++) {
                const size_t pixels = blocks.base + (b < blocks.longer);
#define PAIR(P) forward_block(x, in_w, channels, w, kh, kw, filters, f0, bias, y, out_w, oy, ox, P, 2)
#define SINGLE(P) forward_block(x, in_w, channels, w, kh, kw, filters, f0, bias, y, out_w, oy, ox, P, 1)
                if (pair) { CASES_UP_TO_4(PAIR) } else { CASES_UP_TO_8(SINGLE) }
#undef PAIR
#undef SINGLE
                ox += pixels;
            }
        }
        f0 += pair ? 16 : 8;
    }
}

// PIXELS output pixels of one filter: each kernel row is kw·channels
// consecutive values in both the image and the kernel, a dot product in lanes.
AVX2_FMA void forward_one_filter_block(const float *x, size_t in_w, size_t channels, const float *w, size_t kh, size_t kw,
                                       const float *bias, float *y, size_t out_w, size_t oy, size_t ox, const int PIXELS) {
    const size_t run = kw * channels;
    __m256 acc[8];
    for (int p = 0; p < PIXELS; p++) acc[p] = _mm256_setzero_ps();
    for (size_t ky = 0; ky < kh; ky++) {
        const float *in = x + ((oy + ky) * in_w + ox) * channels;
        const float *k = w + ky * run;
        for (size_t i = 0; i < run; i += 8) {
            const __m256 weights = _mm256_loadu_ps(k + i);
            for (int p = 0; p < PIXELS; p++) acc[p] = _mm256_fmadd_ps(_mm256_loadu_ps(in + p * channels + i), weights, acc[p]);
        }
    }
    for (int p = 0; p < PIXELS; p++) y[oy * out_w + ox + p] = bias[0] + horizontal_sum(acc[p]);
}

// One filter over a multiple of 8 channels.
AVX2_FMA_ENTRY void forward_one_filter(const float *x, size_t channels, const float *w, size_t kh, size_t kw,
                                       const float *bias, float *y, size_t out_h, size_t out_w) {
    const size_t in_w = out_w + kw - 1;
    const row_blocks blocks = split_row(out_w, 8);
    for (size_t oy = 0; oy < out_h; oy++) {
        size_t ox = 0;
        for (size_t b = 0; b < blocks.count; b++) {
            const size_t pixels = blocks.base + (b < blocks.longer);
#define BLOCK(P) forward_one_filter_block(x, in_w, channels, w, kh, kw, bias, y, out_w, oy, ox, P)
            CASES_UP_TO_8(BLOCK)
#undef BLOCK
            ox += pixels;
        }
    }
}

// ROWS consecutive rows from q0 of the kernel gradient, seen as the
// [kh·kw·channels, filters] matrix (row q: position q / channels, channel
// q % channels), times VECTORS·8 filters from f0, summed over every output
// pixel. Rows run across kernel positions, so one input channel still fills
// a whole block.
AVX2_FMA void gradient_block(const float *x, size_t in_w, size_t channels, size_t kw, size_t q0, const float *g,
                             size_t filters, size_t f0, size_t out_h, size_t out_w, float *dw, const int ROWS, const int VECTORS) {
    size_t offsets[8];
    for (int r = 0; r < ROWS; r++) {
        const size_t position = (q0 + r) / channels;
        offsets[r] = ((position / kw) * in_w + position % kw) * channels + (q0 + r) % channels;
    }
    __m256 acc[8][2];
    for (int r = 0; r < ROWS; r++) {
        for (int v = 0; v < VECTORS; v++) acc[r][v] = _mm256_setzero_ps();
    }
    for (size_t oy = 0; oy < out_h; oy++) {
        const float *in = x + oy * in_w * channels;
        const float *grad = g + oy * out_w * filters + f0;
        for (size_t ox = 0; ox < out_w; ox++) {
            __m256 gradients[2];
            for (int v = 0; v < VECTORS; v++) gradients[v] = _mm256_loadu_ps(grad + ox * filters + 8 * v);
            for (int r = 0; r < ROWS; r++) {
                const __m256 value = _mm256_broadcast_ss(in + ox * channels + offsets[r]);
                for (int v = 0; v < VECTORS; v++) acc[r][v] = _mm256_fmadd_ps(value, gradients[v], acc[r][v]);
            }
        }
    }
    for (int r = 0; r < ROWS; r++) {
        float *row = dw + (q0 + r) * filters + f0;
        for (int v = 0; v < VECTORS; v++) _mm256_storeu_ps(row + 8 * v, _mm256_add_ps(_mm256_loadu_ps(row + 8 * v), acc[r][v]));
    }
}

AVX2_FMA_ENTRY void kernel_gradient_by_filters(const float *x, size_t channels, size_t kh, size_t kw, const float *g,
                                               size_t filters, size_t out_h, size_t out_w, float *dw) {
    const size_t in_w = out_w + kw - 1, rows = kh * kw * channels;
    for (size_t f0 = 0; f0 < filters;) {
        // Whole blocks (as many rows as fit in registers beside the
        // broadcasts), then the rest as one block: few rows (one input
        // channel's 9) would otherwise leave a block of one row, whose FMA
        // chains wait on latency.
        size_t q = 0;
#define GRADIENT_BLOCK(ROWS, VECTORS) gradient_block(x, in_w, channels, kw, q, g, filters, f0, out_h, out_w, dw, ROWS, VECTORS)
        if (filters - f0 >= 16) {
            for (; q + 4 <= rows; q += 4) GRADIENT_BLOCK(4, 2);
            switch (rows - q) {
                case 3: GRADIENT_BLOCK(3, 2); break;
                case 2: GRADIENT_BLOCK(2, 2); break;
                case 1: GRADIENT_BLOCK(1, 2); break;
            }
            f0 += 16;
        } else {
            for (; q + 7 <= rows; q += 7) GRADIENT_BLOCK(7, 1);
            switch (rows - q) {
                case 6: GRADIENT_BLOCK(6, 1); break;
                case 5: GRADIENT_BLOCK(5, 1); break;
                case 4: GRADIENT_BLOCK(4, 1); break;
                case 3: GRADIENT_BLOCK(3, 1); break;
                case 2: GRADIENT_BLOCK(2, 1); break;
                case 1: GRADIENT_BLOCK(1, 1); break;
            }
            f0 += 8;
        }
#undef GRADIENT_BLOCK
    }
}

// VECTORS vectors of the one-filter kernel gradient from vector j0 (8
// consecutive values of a kernel row each: kw·channels is a multiple of 8),
// summed over every output pixel.
AVX2_FMA void one_filter_gradient_block(const float *x, size_t in_w, size_t channels, size_t kw, size_t j0,
                                        const float *g, size_t out_h, size_t out_w, float *dw, const int VECTORS) {
    const size_t run = kw * channels;
    size_t offsets[8];
    for (int v = 0; v < VECTORS; v++) offsets[v] = (8 * (j0 + v)) / run * in_w * channels + (8 * (j0 + v)) % run;
    __m256 acc[8];
    for (int v = 0; v < VECTORS; v++) acc[v] = _mm256_setzero_ps();
    for (size_t oy = 0; oy < out_h; oy++) {
        const float *in = x + oy * in_w * channels;
        for (size_t ox = 0; ox < out_w; ox++) {
            const __m256 gradient = _mm256_broadcast_ss(g + oy * out_w + ox);
            for (int v = 0; v < VECTORS; v++) acc[v] = _mm256_fmadd_ps(_mm256_loadu_ps(in + ox * channels + offsets[v]), gradient, acc[v]);
        }
    }
    float *d = dw + 8 * j0;
    for (int v = 0; v < VECTORS; v++) _mm256_storeu_ps(d + 8 * v, _mm256_add_ps(_mm256_loadu_ps(d + 8 * v), acc[v]));
}

AVX2_FMA_ENTRY void kernel_gradient_one_filter(const float *x, size_t channels, size_t kh, size_t kw, const float *g,
                                               size_t out_h, size_t out_w, float *dw) {
    const size_t in_w = out_w + kw - 1, vectors = kh * kw * channels / 8;
    size_t j = 0;
    for (; j + 6 <= vectors; j += 6) one_filter_gradient_block(x, in_w, channels, kw, j, g, out_h, out_w, dw, 6);
    if (j + 4 <= vectors) one_filter_gradient_block(x, in_w, channels, kw, j, g, out_h, out_w, dw, 4), j += 4;
    if (j + 2 <= vectors) one_filter_gradient_block(x, in_w, channels, kw, j, g, out_h, out_w, dw, 2), j += 2;
    if (j < vectors) one_filter_gradient_block(x, in_w, channels, kw, j, g, out_h, out_w, dw, 1);
}

static int has_avx2_fma(void) { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }
#endif

AELAB_VECTOR_CLONES
void aelab_add_column_sums(const float *restrict g, size_t rows, size_t columns, float *restrict sums) {
    if (columns == 1) {
        float lanes[8] = {0};
        size_t r = 0;
        for (; r + 8 <= rows; r += 8) {
            for (int lane = 0; lane < 8; lane++) lanes[lane] += g[r + lane];
        }
        float total = 0;
        for (int lane = 0; lane < 8; lane++) total += lanes[lane];
        for (; r < rows; r++) total += g[r];
        sums[0] += total;
        return;
    }
    for (size_t r = 0; r < rows; r++) {
        for (size_t c = 0; c < columns; c++) sums[c] += g[r * columns + c];
    }
}

int aelab_conv_fits(size_t channels, size_t filters) {
    return filters % 8 == 0 || (filters == 1 && channels % 8 == 0);
}

void aelab_conv_forward(const float *restrict x, size_t channels, const float *restrict w, size_t kh, size_t kw,
                        size_t filters, const float *restrict bias, float *restrict y, size_t out_h, size_t out_w) {
#if defined(__x86_64__)
    if (has_avx2_fma() && filters % 8 == 0) return forward_by_filters(x, channels, w, kh, kw, filters, bias, y, out_h, out_w);
    if (has_avx2_fma() && filters == 1 && channels % 8 == 0) return forward_one_filter(x, channels, w, kh, kw, bias, y, out_h, out_w);
#endif
    forward_plain(x, channels, w, kh, kw, filters, bias, y, out_h, out_w);
}

void aelab_conv_kernel_gradient(const float *restrict x, size_t channels, size_t kh, size_t kw, const float *restrict g,
                                size_t filters, size_t out_h, size_t out_w, float *restrict dw) {
#if defined(__x86_64__)
    if (has_avx2_fma() && filters % 8 == 0) return kernel_gradient_by_filters(x, channels, kh, kw, g, filters, out_h, out_w, dw);
    if (has_avx2_fma() && filters == 1 && channels % 8 == 0) return kernel_gradient_one_filter(x, channels, kh, kw, g, out_h, out_w, dw);
#endif
    kernel_gradient_plain(x, channels, kh, kw, g, filters, out_h, out_w, dw);
}
