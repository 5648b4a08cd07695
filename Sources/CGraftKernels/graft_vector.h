#ifndef GRAFT_VECTOR_H
#define GRAFT_VECTOR_H

// Private to CGraftKernels: eight-float vectors and the activations on them, shared by the
// kernels that apply an activation while their outputs are in registers.

#include "graft_activation.h"

// The helpers here pass vectors by value but are always inlined into the dispatch wrappers, so
// no call crosses the baseline/AVX boundary and the ABI note does not apply.
#pragma clang diagnostic ignored "-Wpsabi"

// Eight floats: one AVX register, or two SSE registers in the baseline build.
typedef float graft_v8 __attribute__((ext_vector_type(8)));
// The same vector at any float-aligned address.
typedef float graft_v8_unaligned __attribute__((ext_vector_type(8), aligned(4)));

// The comparisons are those of the Relu and Clip ops' kernels: a NaN fails every one, so Relu turns it into 0 and Clip passes it through. Scalar and vector give the same bits.
static inline __attribute__((always_inline)) float graft_activate(float x,
                                                                  graft_activation activation,
                                                                  float lower, float upper) {
  switch (activation) {
  case GRAFT_ACTIVATION_RELU: return x > 0 ? x : 0;
  case GRAFT_ACTIVATION_CLIP: x = lower >= x ? lower : x; return upper < x ? upper : x;
  default: return x;
  }
}

static inline __attribute__((always_inline)) graft_v8 graft_activate8(graft_v8 x,
                                                                      graft_activation activation,
                                                                      float lower, float upper) {
  switch (activation) {
  case GRAFT_ACTIVATION_RELU: return x > 0 ? x : 0;
  case GRAFT_ACTIVATION_CLIP: {
    graft_v8 low = lower, high = upper;
    x = low >= x ? low : x;
    return high < x ? high : x;
  }
  default: return x;
  }
}

#endif
