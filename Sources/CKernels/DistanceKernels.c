#include <math.h>
#include "CKernels.h"

void aelab_row_distances(const float *restrict a, const float *restrict b, size_t rows, size_t columns,
                         double *restrict distances) {
    for (size_t row = 0; row < rows; row++) {
        const float *x = a + row * columns;
        const float *y = b + row * columns;
        // Eight independent lanes vectorise without reordering any one sum.
        float lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        size_t i = 0;
        for (; i + 8 <= columns; i += 8) {
            for (size_t lane = 0; lane < 8; lane++) {
                float difference = x[i + lane] - y[i + lane];
                lanes[lane] += difference * difference;
            }
        }
        double total = 0;
        for (; i < columns; i++) total += (double)(x[i] - y[i]) * (double)(x[i] - y[i]);
        for (size_t lane = 0; lane < 8; lane++) total += lanes[lane];
        distances[row] = __builtin_elementwise_sqrt(total);
    }
}
