#ifndef AELAB_CKERNELS_H
#define AELAB_CKERNELS_H
#include <stddef.h>
#include <stdint.h>

// What the Swift targets need in C:
// - elementwise kernels: optimizer updates over one contiguous slice of a
//   parameter, squared error and binary cross-entropy with their gradients,
//   the sigmoid, max pooling, direct convolution of small kernels, and
//   distances between the rows of two matrices;
// - process control for sweeps (behind LabRunner's ProcessControl): prctl is
//   variadic, which Swift cannot call;
// - the terminal's width (behind LabRunner's TerminalWidth): ioctl is variadic too;
// - the allocator setting (behind LabCore's MemoryPolicy);
// - the floating-point unit's denormal mode (behind LabCore's DenormalMode).
//
// The kernels are in C because they must vectorise: Swift's Float.squareRoot() (and
// SIMD's) lowers on Linux to sqrtf with errno semantics, which keeps the loop
// scalar, at two to four times the cost. __builtin_elementwise_sqrt is a plain
// IEEE square root, and restrict tells the compiler the slices do not overlap.

/// w -= rate * g
void aelab_sgd_update(float *restrict w, const float *restrict g, size_t n, float rate);

/// v = momentum v - rate g; w += v, or with Nesterov w += momentum v - rate g
void aelab_sgd_momentum_update(float *restrict w, float *restrict v, const float *restrict g, size_t n,
                               float rate, float momentum, int nesterov);

/// ms = rho ms + (1 - rho) g^2; w -= rate g / sqrt(ms + eps) (epsilon_inside != 0)
/// or w -= rate g / (sqrt(ms) + eps) (epsilon_inside == 0)
void aelab_rmsprop_update(float *restrict w, float *restrict ms, const float *restrict g, size_t n,
                          float rate, float rho, float eps, int epsilon_inside);

/// m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
/// w = decay w - rate (m / c1) / (sqrt(v / c2) + eps)
void aelab_adam_update(float *restrict w, float *restrict m, float *restrict v, const float *restrict g, size_t n,
                       float rate, float beta1, float beta2, float eps, float correction1, float correction2, float decay);

/// gradient[i] = scale (p[i] - t[i]); returns the sum of (p[i] - t[i])^2,
/// accumulated in eight float lanes per block and in double across blocks.
double aelab_squared_error(const float *restrict prediction, const float *restrict target,
                           float *restrict gradient, size_t n, float scale);

/// distances[r] = || a[r] - b[r] ||_2 for each of `rows` rows of `columns`
/// values: the convergence test of batched fixed-point iteration, one pass
/// over both matrices. NaN or Inf in either row gives a non-finite distance.
void aelab_row_distances(const float *restrict a, const float *restrict b, size_t rows, size_t columns,
                         double *restrict distances);

/// Binary cross-entropy of predictions p against targets t over n values:
/// gradient[i] = scale (q - t) / (q (1 - q)) where q = p clipped to
/// [eps, 1 - eps] (0 where the clip is active); returns the sum of
/// -[t log q + (1 - t) log(1 - q)]: single precision in eight lanes per block
/// (vectorised logs, see VectorMath.h), double across blocks. Returns NaN
/// when a target lies outside [0, 1] (or is NaN), so the caller need not
/// read the targets a second time to check them.
double aelab_binary_cross_entropy(const float *restrict prediction, const float *restrict target,
                                  float *restrict gradient, size_t n, float scale, float eps);

/// The logistic sigmoid 1 / (1 + e^-x) of one value, and of n values at once
/// (vectorised; the same result value by value as aelab_sigmoid).
float aelab_sigmoid(float x);
void aelab_sigmoid_array(const float *restrict x, float *restrict y, size_t n);

/// Max pooling of one channels-last image [height, width, channels] over
/// size x size windows with stride size: y[window, c] is the largest value,
/// winners[window, c] its flat index in x (on ties the first in row-major order).
void aelab_max_pool(const float *restrict x, size_t height, size_t width, size_t channels, size_t size,
                    float *restrict y, int32_t *restrict winners);

/// Stride-1 convolution of one channels-last image x, zero-padded to
/// [out_h + kh - 1, out_w + kw - 1, channels], with the kernel w stored
/// (kh, kw, channels, filters): y[oy, ox, f] = bias[f]
/// + the sum over ky, kx, c of x[oy + ky, ox + kx, c] w[ky, kx, c, f].
/// Vector code of at most vector_bits (512, 256, or 0 for plain loops; at
/// most aelab_conv_vector_bits()) where aelab_conv_fits(channels, filters).
void aelab_conv_forward(const float *restrict x, size_t channels, const float *restrict w, size_t kh, size_t kw,
                        size_t filters, const float *restrict bias, float *restrict y, size_t out_h, size_t out_w,
                        int vector_bits);

/// The kernel gradient of aelab_conv_forward for one image, added onto dw:
/// dw[ky, kx, c, f] += the sum over oy, ox of x[oy + ky, ox + kx, c] g[oy, ox, f].
void aelab_conv_kernel_gradient(const float *restrict x, size_t channels, size_t kh, size_t kw, const float *restrict g,
                                size_t filters, size_t out_h, size_t out_w, float *restrict dw, int vector_bits);

/// sums[c] += the sum over r of g[r · columns + c] (a bias gradient).
void aelab_add_column_sums(const float *restrict g, size_t rows, size_t columns, float *restrict sums);

/// Whether the two convolution kernels have vector code for these sizes:
/// a multiple of 8 filters, or one filter over a multiple of 8 channels.
int aelab_conv_fits(size_t channels, size_t filters);

/// The widest vector code of the convolution kernels that this CPU runs:
/// 512 (AVX-512), 256 (AVX2 with FMA) or 0.
int aelab_conv_vector_bits(void);

/// Makes this process receive SIGTERM when its parent dies (sweep workers
/// must not outlive the `aelab sweep` that started them). Returns 0, or -1
/// if the parent `parent` is already gone.
int aelab_exit_with_parent(int parent);

/// Opens `path` (creating it) and takes an exclusive lock without waiting,
/// writing this process's PID into it: the descriptor (hold it open to keep
/// the lock), -2 if another process holds it, -1 if the file cannot be
/// opened or written.
int aelab_try_lock(const char *path);

/// Keeps large blocks on the heap for reuse instead of fresh mmap pages per
/// allocation (glibc's malloc; no effect elsewhere). See MemoryPolicy.swift.
void aelab_reuse_large_allocations(void);

/// Makes the calling thread flush denormal floats to zero (results and
/// inputs: x86 FTZ + DAZ, ARM FZ) when enabled != 0, or keep IEEE gradual
/// underflow. Returns 0 where the CPU has no such mode.
int aelab_flush_denormals(int enabled);
/// Whether the calling thread flushes denormals (1) or not (0).
int aelab_flushes_denormals(void);

// Columns of the terminal on `fd`, or -1 when it is none (ioctl is variadic:
// Swift cannot call it).
int aelab_terminal_columns(int fd);
#endif
