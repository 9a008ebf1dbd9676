#include "CKernels.h"
#include "VectorMath.h"

// 1 / (1 + e^-|x|) or e^-|x| / (1 + e^-|x|): the exponential never overflows,
// and small outputs keep their relative precision.
static inline float sigmoid(float x) {
    float e = aelab_exp_nonpositive(x > 0 ? -x : x);
    return (x > 0 ? 1.0f : e) / (1.0f + e);
}

float aelab_sigmoid(float x) { return sigmoid(x); }

AELAB_VECTOR_CLONES
void aelab_sigmoid_array(const float *restrict x, float *restrict y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = sigmoid(x[i]);
}
