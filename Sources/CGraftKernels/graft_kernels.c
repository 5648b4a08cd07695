#include "graft_dispatch.h"
#include "graft_kernels.h"

static inline __attribute__((always_inline)) void graft_accumulate3_body(
    float *restrict a, const float *restrict s0, const float *restrict s1,
    const float *restrict s2, float w0, float w1, float w2, long n) {
  for (long i = 0; i < n; i++) a[i] += w0 * s0[i] + w1 * s1[i] + w2 * s2[i];
}
GRAFT_DISPATCH(graft_accumulate3,
               (float *a, const float *s0, const float *s1, const float *s2, float w0, float w1,
                float w2, long n),
               (a, s0, s1, s2, w0, w1, w2, n))

static inline __attribute__((always_inline)) void graft_accumulate1_body(
    float *restrict a, const float *restrict s, float w, long n) {
  for (long i = 0; i < n; i++) a[i] += w * s[i];
}
GRAFT_DISPATCH(graft_accumulate1, (float *a, const float *s, float w, long n), (a, s, w, n))

static inline __attribute__((always_inline)) void graft_add_bias_body(
    const float *source, float *target, float bias, long n) {
  GRAFT_VECTORIZE
  for (long i = 0; i < n; i++) target[i] = source[i] + bias;
}
GRAFT_DISPATCH(graft_add_bias, (const float *source, float *target, float bias, long n),
               (source, target, bias, n))

static inline __attribute__((always_inline)) void graft_add_bias_relu_body(
    const float *source, float *target, float bias, long n) {
  GRAFT_VECTORIZE
  for (long i = 0; i < n; i++) {
    float x = source[i] + bias;
    target[i] = x > 0 ? x : 0;
  }
}
GRAFT_DISPATCH(graft_add_bias_relu, (const float *source, float *target, float bias, long n),
               (source, target, bias, n))

// The ternaries are Swift's max then min (`y >= x ? y : x`, `y < x ? y : x`), so a fused Clip
// gives the standalone Clip kernel's bits, NaN included.
static inline __attribute__((always_inline)) void graft_add_bias_clip_body(
    const float *source, float *target, float bias, float lower, float upper, long n) {
  GRAFT_VECTORIZE
  for (long i = 0; i < n; i++) {
    float x = source[i] + bias;
    x = lower >= x ? lower : x;
    target[i] = upper < x ? upper : x;
  }
}
GRAFT_DISPATCH(graft_add_bias_clip,
               (const float *source, float *target, float bias, float lower, float upper, long n),
               (source, target, bias, lower, upper, n))
