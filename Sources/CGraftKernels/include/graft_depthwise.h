#ifndef GRAFT_DEPTHWISE_H
#define GRAFT_DEPTHWISE_H

#include "graft_activation.h"

/// One plane of a 2-D depthwise convolution and the layout of its padded scratch copy.
///
/// The scratch holds `scratch_rows` rows of `row_stride = stride_width · phase_width` floats.
/// Scratch row `r` is input row `r − pad_top` (zero when outside the input). Within a row,
/// padded column `c` (input column `c − pad_left`) sits in phase `c mod stride_width` at
/// position `⌊c / stride_width⌋`, so the inputs of consecutive outputs under one kernel cell are
/// contiguous. `phase_width` covers the output row rounded up to whole vectors of 8 plus the
/// kernel's reach, so a vector read never leaves its phase.
typedef struct {
  long input_height, input_width;
  long output_height, output_width;
  long stride_height, stride_width;
  long pad_top, pad_left;
  long phase_width;
  long row_stride;
  long scratch_rows;
} graft_depthwise_shape;

/// y[oy, ox] = activation(bias + Σ_k w[k] · scratch[oy · stride_height · row_stride + taps[k] +
/// ox]) for the `tap_count` kernel cells in order, after copying the input plane `x` into the
/// scratch's interior. `taps[k]` is kernel cell k's offset in the scratch (its row times
/// `row_stride`, plus its phase times `phase_width`, plus its position). The scratch's padding
/// must be zero: this function writes only interior cells, the same ones for every plane.
/// Each output's sum has the same order whatever the plane or thread. `next`, the input plane
/// to be computed next (or NULL), is prefetched meanwhile, so that its copy reads from cache.
void graft_depthwise_plane(const graft_depthwise_shape *shape, const long *taps, long tap_count,
                           const float *x, const float *w, float bias,
                           graft_activation activation, float lower, float upper,
                           float *scratch, float *y, const float *next);

#endif
