#include "CKernels.h"
#include "VectorMath.h"

// Each update reads and writes every parameter once, with a division and a
// square root per element for RMSprop and Adam: eight lanes where the CPU has
// AVX2 halve the time of SSE2's four, with the same IEEE operations in each.

AELAB_VECTOR_CLONES
void aelab_sgd_update(float *restrict w, const float *restrict g, size_t n, float rate) {
    for (size_t i = 0; i < n; i++) w[i] -= rate * g[i];
}

AELAB_VECTOR_CLONES
void aelab_sgd_momentum_update(float *restrict w, float *restrict v, const float *restrict g, size_t n,
                               float rate, float momentum, int nesterov) {
    if (nesterov) {
        for (size_t i = 0; i < n; i++) {
            float velocity = momentum * v[i] - rate * g[i];
            v[i] = velocity;
            w[i] += momentum * velocity - rate * g[i];
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            float velocity = momentum * v[i] - rate * g[i];
            v[i] = velocity;
            w[i] += velocity;
        }
    }
}

AELAB_VECTOR_CLONES
void aelab_rmsprop_update(float *restrict w, float *restrict ms, const float *restrict g, size_t n,
                          float rate, float rho, float eps, int epsilon_inside) {
    const float keep = 1.0f - rho;
    if (epsilon_inside) {
        for (size_t i = 0; i < n; i++) {
            float mean_square = rho * ms[i] + keep * g[i] * g[i];
            ms[i] = mean_square;
            w[i] -= rate * g[i] / __builtin_elementwise_sqrt(mean_square + eps);
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            float mean_square = rho * ms[i] + keep * g[i] * g[i];
            ms[i] = mean_square;
            w[i] -= rate * g[i] / (__builtin_elementwise_sqrt(mean_square) + eps);
        }
    }
}

AELAB_VECTOR_CLONES
void aelab_adam_update(float *restrict w, float *restrict m, float *restrict v, const float *restrict g, size_t n,
                       float rate, float beta1, float beta2, float eps, float correction1, float correction2, float decay) {
    for (size_t i = 0; i < n; i++) {
        float first = beta1 * m[i] + (1.0f - beta1) * g[i];
        float second = beta2 * v[i] + (1.0f - beta2) * g[i] * g[i];
        m[i] = first;
        v[i] = second;
        w[i] = decay * w[i] - rate * (first / correction1) / (__builtin_elementwise_sqrt(second / correction2) + eps);
    }
}
