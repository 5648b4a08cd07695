#ifndef GRAFT_ACTIVATION_H
#define GRAFT_ACTIVATION_H

/// The activation a kernel applies last to each output, with the bits of the Relu and Clip ops'
/// own kernels, NaN included.
typedef enum {
  GRAFT_ACTIVATION_NONE = 0,
  /// y = x > 0 ? x : 0 (NaN becomes 0).
  GRAFT_ACTIVATION_RELU = 1,
  /// y = min(max(x, lower), upper) (NaN stays NaN).
  GRAFT_ACTIVATION_CLIP = 2,
} graft_activation;

#endif
