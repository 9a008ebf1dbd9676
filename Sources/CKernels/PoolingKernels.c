#include "CKernels.h"
#include "VectorMath.h"

// One window, channel by channel: the running maximum and its index stay in
// registers and update by selects, never by branches (on real data the
// comparison is a coin toss, and a mispredicted branch per value costs more
// than the rest of the pass). Inlined with size 2 the window loops unroll and
// the channel loop vectorises.
static inline void pool_window(const float *restrict x, size_t width, size_t channels, size_t size, size_t corner,
                               float *restrict best, int32_t *restrict winner) {
    for (size_t c = 0; c < channels; c++) {
        float maximum = x[corner + c];
        int32_t index = (int32_t)(corner + c);
        for (size_t dy = 0; dy < size; dy++) {
            for (size_t dx = 0; dx < size; dx++) {
                const int32_t at = (int32_t)(corner + (dy * width + dx) * channels + c);
                const int larger = x[at] > maximum;
                maximum = larger ? x[at] : maximum;
                index = larger ? at : index;
            }
        }
        best[c] = maximum;
        winner[c] = index;
    }
}

static inline void pool_image(const float *restrict x, size_t height, size_t width, size_t channels, size_t size,
                              float *restrict y, int32_t *restrict winners) {
    const size_t out_height = height / size, out_width = width / size;
    for (size_t oy = 0; oy < out_height; oy++) {
        for (size_t ox = 0; ox < out_width; ox++) {
            const size_t out = (oy * out_width + ox) * channels;
            pool_window(x, width, channels, size, (oy * size * width + ox * size) * channels, y + out, winners + out);
        }
    }
}

AELAB_VECTOR_CLONES
void aelab_max_pool(const float *restrict x, size_t height, size_t width, size_t channels, size_t size,
                    float *restrict y, int32_t *restrict winners) {
    if (size == 2) pool_image(x, height, width, channels, 2, y, winners);
    else pool_image(x, height, width, channels, size, y, winners);
}
