#ifndef GRAFT_RESAMPLE_H
#define GRAFT_RESAMPLE_H
#include <stdint.h>

/// One axis of a separable fixed-point resampling (Pillow's bilinear `ImagingResample`): output
/// `o` reads `counts[o]` inputs from `starts[o]`, weighed by `weights[o * taps ..]` (integers
/// with `precision_bits` fraction bits); each output is
/// `clamp((2^(precision_bits-1) + Σ weight·input) >> precision_bits, 0, 255)`.
typedef struct graft_resample_axis {
  const int32_t *starts;
  const int32_t *counts;
  const int32_t *weights;
  int32_t taps;
  int32_t outputs;
  int32_t precision_bits;
} graft_resample_axis;

/// Resamples `rows` rows of `in` (interleaved 8-bit, `width` pixels of `channels` samples each,
/// row-major) along x into `out` (`rows` rows of `axis->outputs` pixels).
///
/// Written in C because Swift's checked index arithmetic in this innermost loop cost half of
/// an image's preprocessing time.
void graft_resample_horizontal(const uint8_t *in, int32_t width, int32_t channels, int32_t rows,
                               const graft_resample_axis *axis, uint8_t *out);

/// Resamples `in` (rows of `row_length` bytes, its first row being input row `first_row`)
/// along y into `out` (`axis->outputs` rows of `row_length` bytes).
void graft_resample_vertical(const uint8_t *in, int32_t row_length, int32_t first_row,
                             const graft_resample_axis *axis, uint8_t *out);
#endif
