#include "CKernels.h"
#include "VectorMath.h"

double aelab_squared_error(const float *restrict prediction, const float *restrict target,
                           float *restrict gradient, size_t n, float scale) {
    // Eight independent lanes vectorise without reordering any one sum; blocks
    // of 4096 keep float rounding small before each lane joins the double total.
    double total = 0.0;
    size_t start = 0;
    while (start < n) {
        size_t end = start + 4096 < n ? start + 4096 : n;
        float lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        size_t i = start;
        for (; i + 8 <= end; i += 8) {
            for (size_t lane = 0; lane < 8; lane++) {
                float difference = prediction[i + lane] - target[i + lane];
                lanes[lane] += difference * difference;
                gradient[i + lane] = scale * difference;
            }
        }
        for (; i < end; i++) {
            float difference = prediction[i] - target[i];
            lanes[0] += difference * difference;
            gradient[i] = scale * difference;
        }
        for (size_t lane = 0; lane < 8; lane++) total += lanes[lane];
        start = end;
    }
    return total;
}

// t log q + (1 - t) log(1 - q) for q = p clipped to [eps, 1 - eps]; stores the gradient.
static inline float binary_cross_entropy_term(float p, float t, float *restrict gradient, float scale, float eps) {
    float q = p < eps ? eps : (p > 1.0f - eps ? 1.0f - eps : p);
    *gradient = (p > eps && p < 1.0f - eps) ? scale * (q - t) / (q * (1.0f - q)) : 0.0f;
    return t * aelab_log(q) + (1.0f - t) * aelab_log(1.0f - q);
}

AELAB_VECTOR_CLONES
double aelab_binary_cross_entropy(const float *restrict prediction, const float *restrict target,
                                  float *restrict gradient, size_t n, float scale, float eps) {
    double total = 0.0;
    int outside = 0;
    size_t start = 0;
    while (start < n) {
        size_t end = start + 4096 < n ? start + 4096 : n;
        // Eight lanes, as in aelab_squared_error, so the loop vectorises with its logs.
        float lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        size_t i = start;
        for (; i + 8 <= end; i += 8) {
            for (size_t lane = 0; lane < 8; lane++) {
                float t = target[i + lane];
                outside |= !(t >= 0.0f && t <= 1.0f);
                lanes[lane] += binary_cross_entropy_term(prediction[i + lane], t, gradient + i + lane, scale, eps);
            }
        }
        for (; i < end; i++) {
            outside |= !(target[i] >= 0.0f && target[i] <= 1.0f);
            lanes[0] += binary_cross_entropy_term(prediction[i], target[i], gradient + i, scale, eps);
        }
        for (size_t lane = 0; lane < 8; lane++) total -= lanes[lane];
        start = end;
    }
    return outside ? __builtin_nan("") : total;
}
