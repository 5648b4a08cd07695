#include "graft_kernels.h"

// The bias loops run in place (source == target) or on disjoint arrays; element i is read before
// it is written either way, so their loops are declared safe to vectorise (clang's runtime overlap
// check would otherwise send the in-place case down the scalar loop).
#define GRAFT_VECTORIZE _Pragma("clang loop vectorize(assume_safety)")

// Each kernel's body is written once as an always-inline function and wrapped twice: the AVX2
// wrapper's target attribute makes the compiler vectorise the inlined body with AVX2 and FMA.
#define GRAFT_DISPATCH(name, params, args)                                                    \
  __attribute__((target("avx2,fma"))) static void name##_avx2 params { name##_body args; }  \
  static void name##_baseline params { name##_body args; }                                  \
  void name params {                                                                          \
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {                   \
      name##_avx2 args;                                                                       \
    } else {                                                                                  \
      name##_baseline args;                                                                   \
    }                                                                                         \
  }

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
