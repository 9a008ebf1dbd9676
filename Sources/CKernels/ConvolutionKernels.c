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

// CALL(n) with n a constant, for n from 1 to 4, 8 or 12: the blocks' loops
// unroll and their sums stay in registers.
#define SWITCH_UP_TO_4(n, CALL) \
    switch (n) { case 4: CALL(4); break; case 3: CALL(3); break; case 2: CALL(2); break; default: CALL(1); break; }
#define SWITCH_UP_TO_8(n, CALL) \
    switch (n) { \
        case 8: CALL(8); break; case 7: CALL(7); break; case 6: CALL(6); break; case 5: CALL(5); break; \
        default: SWITCH_UP_TO_4(n, CALL) \
    }
#define SWITCH_UP_TO_12(n, CALL) \
    switch (n) { \
        case 12: CALL(12); break; case 11: CALL(11); break; case 10: CALL(10); break; case 9: CALL(9); break; \
        default: SWITCH_UP_TO_8(n, CALL) \
    }

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
                if (pair) { SWITCH_UP_TO_4(pixels, PAIR) } else { SWITCH_UP_TO_8(pixels, SINGLE) }
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
            SWITCH_UP_TO_8(pixels, BLOCK)
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

// Filters f0 to f0 + 16 (pair) or f0 + 8 of every row. Whole blocks (as many
// rows as fit in registers beside the broadcasts), then the rest as one
// block: few rows (one input channel's 9) would otherwise leave a block of
// one row, whose FMA chains wait on latency.
AVX2_FMA void gradient_columns(const float *x, size_t in_w, size_t channels, size_t kw, size_t rows, const float *g,
                               size_t filters, size_t f0, size_t out_h, size_t out_w, float *dw, int pair) {
    size_t q = 0;
#define PAIR(ROWS) gradient_block(x, in_w, channels, kw, q, g, filters, f0, out_h, out_w, dw, ROWS, 2)
#define SINGLE(ROWS) gradient_block(x, in_w, channels, kw, q, g, filters, f0, out_h, out_w, dw, ROWS, 1)
    if (pair) {
        for (; q + 4 <= rows; q += 4) PAIR(4);
        if (q < rows) SWITCH_UP_TO_4(rows - q, PAIR)
    } else {
        for (; q + 7 <= rows; q += 7) SINGLE(7);
        if (q < rows) SWITCH_UP_TO_8(rows - q, SINGLE)
    }
#undef PAIR
#undef SINGLE
}

AVX2_FMA_ENTRY void kernel_gradient_by_filters(const float *x, size_t channels, size_t kh, size_t kw, const float *g,
                                               size_t filters, size_t out_h, size_t out_w, float *dw) {
    const size_t in_w = out_w + kw - 1, rows = kh * kw * channels;
    for (size_t f0 = 0; f0 < filters;) {
        const int pair = filters - f0 >= 16;
        gradient_columns(x, in_w, channels, kw, rows, g, filters, f0, out_h, out_w, dw, pair);
        f0 += pair ? 16 : 8;
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

// AVX-512, where the CPU has it: 16 filters fill one register, twice the
// FMA width of AVX2, and 32 registers hold the sums of up to 12 pixels or
// kernel-gradient rows. Eight filters left over take the AVX2 blocks.
#define AVX512_FMA __attribute__((target("avx512f,avx2,fma"), always_inline)) static inline
#define AVX512_ENTRY __attribute__((target("avx512f,avx2,fma"))) static

AVX512_FMA void forward_block_512(const float *x, size_t in_w, size_t channels, const float *w, size_t kh, size_t kw,
                                  size_t filters, size_t f0, const float *bias, float *y, size_t out_w, size_t oy, size_t ox,
                                  const int PIXELS) {
    __m512 acc[12];
    for (int p = 0; p < PIXELS; p++) acc[p] = _mm512_loadu_ps(bias + f0);
    for (size_t ky = 0; ky < kh; ky++) {
        for (size_t kx = 0; kx < kw; kx++) {
            const float *in = x + ((oy + ky) * in_w + ox + kx) * channels;
            const float *k = w + (ky * kw + kx) * channels * filters + f0;
            for (size_t c = 0; c < channels; c++) {
                const __m512 weights = _mm512_loadu_ps(k + c * filters);
                for (int p = 0; p < PIXELS; p++) acc[p] = _mm512_fmadd_ps(_mm512_set1_ps(in[p * channels + c]), weights, acc[p]);
            }
        }
    }
    float *out = y + (oy * out_w + ox) * filters + f0;
    for (int p = 0; p < PIXELS; p++) _mm512_storeu_ps(out + p * filters, acc[p]);
}

AVX512_ENTRY void forward_by_filters_512(const float *x, size_t channels, const float *w, size_t kh, size_t kw,
                                         size_t filters, const float *bias, float *y, size_t out_h, size_t out_w) {
    const size_t in_w = out_w + kw - 1;
    size_t f0 = 0;
    for (; f0 + 16 <= filters; f0 += 16) {
        const row_blocks blocks = split_row(out_w, 12);
        for (size_t oy = 0; oy < out_h; oy++) {
            size_t ox = 0;
            for (size_t b = 0; b < blocks.count; b++) {
                const size_t pixels = blocks.base + (b < blocks.longer);
#define WIDE(P) forward_block_512(x, in_w, channels, w, kh, kw, filters, f0, bias, y, out_w, oy, ox, P)
                SWITCH_UP_TO_12(pixels, WIDE)
#undef WIDE
                ox += pixels;
            }
        }
    }
    if (f0 == filters) return;
    const row_blocks blocks = split_row(out_w, 8);
    for (size_t oy = 0; oy < out_h; oy++) {
        size_t ox = 0;
        for (size_t b = 0; b < blocks.count; b++) {
            const size_t pixels = blocks.base + (b < blocks.longer);
#define SINGLE(P) forward_block(x, in_w, channels, w, kh, kw, filters, f0, bias, y, out_w, oy, ox, P, 1)
            SWITCH_UP_TO_8(pixels, SINGLE)
#undef SINGLE
            ox += pixels;
        }
    }
}

// ROWS kernel-gradient rows from q0 (as in gradient_block) times 16 filters from f0.
AVX512_FMA void gradient_block_512(const float *x, size_t in_w, size_t channels, size_t kw, size_t q0, const float *g,
                                   size_t filters, size_t f0, size_t out_h, size_t out_w, float *dw, const int ROWS) {
    size_t offsets[12];
    for (int r = 0; r < ROWS; r++) {
        const size_t position = (q0 + r) / channels;
        offsets[r] = ((position / kw) * in_w + position % kw) * channels + (q0 + r) % channels;
    }
    __m512 acc[12];
    for (int r = 0; r < ROWS; r++) acc[r] = _mm512_setzero_ps();
    for (size_t oy = 0; oy < out_h; oy++) {
        const float *in = x + oy * in_w * channels;
        const float *grad = g + oy * out_w * filters + f0;
        for (size_t ox = 0; ox < out_w; ox++) {
            const __m512 gradients = _mm512_loadu_ps(grad + ox * filters);
            for (int r = 0; r < ROWS; r++) acc[r] = _mm512_fmadd_ps(_mm512_set1_ps(in[ox * channels + offsets[r]]), gradients, acc[r]);
        }
    }
    for (int r = 0; r < ROWS; r++) {
        float *row = dw + (q0 + r) * filters + f0;
        _mm512_storeu_ps(row, _mm512_add_ps(_mm512_loadu_ps(row), acc[r]));
    }
}

AVX512_ENTRY void kernel_gradient_by_filters_512(const float *x, size_t channels, size_t kh, size_t kw, const float *g,
                                                 size_t filters, size_t out_h, size_t out_w, float *dw) {
    const size_t in_w = out_w + kw - 1, rows = kh * kw * channels;
    size_t f0 = 0;
    for (; f0 + 16 <= filters; f0 += 16) {
        size_t q = 0;
#define WIDE(ROWS) gradient_block_512(x, in_w, channels, kw, q, g, filters, f0, out_h, out_w, dw, ROWS)
        for (; q + 12 <= rows; q += 12) WIDE(12);
        if (q < rows) SWITCH_UP_TO_12(rows - q, WIDE)
#undef WIDE
    }
    if (f0 < filters) gradient_columns(x, in_w, channels, kw, rows, g, filters, f0, out_h, out_w, dw, 0);
}

static int has_avx512(void) { return __builtin_cpu_supports("avx512f"); }
static int has_avx2_fma(void) { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }
#endif

// Eight columns at a time, their sums in one register across the rows.
AELAB_VECTOR_CLONES
void aelab_add_column_sums(const float *restrict g, size_t rows, size_t columns, float *restrict sums) {
    if (columns % 8 == 0) {
        for (size_t c0 = 0; c0 < columns; c0 += 8) {
            float lanes[8];
            for (int lane = 0; lane < 8; lane++) lanes[lane] = sums[c0 + lane];
            for (size_t r = 0; r < rows; r++) {
                for (int lane = 0; lane < 8; lane++) lanes[lane] += g[r * columns + c0 + lane];
            }
            for (int lane = 0; lane < 8; lane++) sums[c0 + lane] = lanes[lane];
        }
        return;
    }
    for (size_t c = 0; c < columns; c++) {
        float sum = sums[c];
        for (size_t r = 0; r < rows; r++) sum += g[r * columns + c];
        sums[c] = sum;
    }
}

int aelab_conv_fits(size_t channels, size_t filters) {
    return filters % 8 == 0 || (filters == 1 && channels % 8 == 0);
}

int aelab_conv_vector_bits(void) {
#if defined(__x86_64__)
    if (has_avx512() && has_avx2_fma()) return 512;
    if (has_avx2_fma()) return 256;
#endif
    return 0;
}

void aelab_conv_forward(const float *restrict x, size_t channels, const float *restrict w, size_t kh, size_t kw,
                        size_t filters, const float *restrict bias, float *restrict y, size_t out_h, size_t out_w,
                        int vector_bits) {
#if defined(__x86_64__)
    if (vector_bits >= 512 && filters % 8 == 0 && filters >= 16) return forward_by_filters_512(x, channels, w, kh, kw, filters, bias, y, out_h, out_w);
    if (vector_bits >= 256 && filters % 8 == 0) return forward_by_filters(x, channels, w, kh, kw, filters, bias, y, out_h, out_w);
    if (vector_bits >= 256 && filters == 1 && channels % 8 == 0) return forward_one_filter(x, channels, w, kh, kw, bias, y, out_h, out_w);
#endif
    forward_plain(x, channels, w, kh, kw, filters, bias, y, out_h, out_w);
}

void aelab_conv_kernel_gradient(const float *restrict x, size_t channels, size_t kh, size_t kw, const float *restrict g,
                                size_t filters, size_t out_h, size_t out_w, float *restrict dw, int vector_bits) {
#if defined(__x86_64__)
    if (vector_bits >= 512 && filters % 8 == 0 && filters >= 16) return kernel_gradient_by_filters_512(x, channels, kh, kw, g, filters, out_h, out_w, dw);
    if (vector_bits >= 256 && filters % 8 == 0) return kernel_gradient_by_filters(x, channels, kh, kw, g, filters, out_h, out_w, dw);
    if (vector_bits >= 256 && filters == 1 && channels % 8 == 0) return kernel_gradient_one_filter(x, channels, kh, kw, g, out_h, out_w, dw);
#endif
    kernel_gradient_plain(x, channels, kh, kw, g, filters, out_h, out_w, dw);
}
