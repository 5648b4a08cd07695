#include "graft_dispatch.h"
#include "graft_kernels.h"
#include "graft_vector.h"

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

static inline __attribute__((always_inline)) void graft_add_bias_activate_body(
    const float *source, float *target, float bias, graft_activation activation, float lower,
    float upper, long n) {
  GRAFT_VECTORIZE
  for (long i = 0; i < n; i++) target[i] = graft_activate(source[i] + bias, activation, lower, upper);
}
GRAFT_DISPATCH(graft_add_bias_activate,
               (const float *source, float *target, float bias, graft_activation activation,
                float lower, float upper, long n),
               (source, target, bias, activation, lower, upper, n))
