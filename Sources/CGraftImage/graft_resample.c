#include "graft_resample.h"

#include <stdlib.h>
#include <string.h>

typedef int32_t int32x4 __attribute__((vector_size(16)));
typedef uint8_t uint8x4 __attribute__((vector_size(4)));

static inline uint8_t clamp_shifted(int32_t sum, int32_t bits) {
  int32_t value = sum >> bits;
  return value < 0 ? 0 : value > 255 ? 255 : (uint8_t)value;
}

/// The horizontal pass for a fixed channel count, so the compiler unrolls the channels and keeps
/// one running sum per channel in a register.
static inline void resample_row(const uint8_t *input, int32_t channels,
                                const graft_resample_axis *axis, uint8_t *output) {
  const int32_t half = 1 << (axis->precision_bits - 1);
  for (int32_t x = 0; x < axis->outputs; x++) {
    const int32_t *weight = axis->weights + (int64_t)x * axis->taps;
    const uint8_t *first = input + (int64_t)axis->starts[x] * channels;
    const int32_t count = axis->counts[x];
    int32_t sums[4] = {half, half, half, half};
    for (int32_t tap = 0; tap < count; tap++) {
      for (int32_t channel = 0; channel < channels; channel++)
        sums[channel] += first[tap * channels + channel] * weight[tap];
    }
    for (int32_t channel = 0; channel < channels; channel++)
      output[x * channels + channel] = clamp_shifted(sums[channel], axis->precision_bits);
  }
}

/// The horizontal pass for RGB: each tap adds a pixel's 3 samples (and one byte past them,
/// whose lane is dropped) to 4 lanes at once. `end` bounds the input, so the last pixel of the
/// buffer is read sample by sample.
static void resample_rgb_row(const uint8_t *input, const uint8_t *end,
                             const graft_resample_axis *axis, uint8_t *output) {
  const int32_t half = 1 << (axis->precision_bits - 1);
  for (int32_t x = 0; x < axis->outputs; x++) {
    const int32_t *weight = axis->weights + (int64_t)x * axis->taps;
    const uint8_t *first = input + (int64_t)axis->starts[x] * 3;
    const int32_t count = axis->counts[x];
    int32x4 sums = {half, half, half, half};
    for (int32_t tap = 0; tap < count; tap++) {
      const uint8_t *pixel = first + tap * 3;
      uint8x4 bytes;
      if (pixel + 4 <= end) {
        memcpy(&bytes, pixel, 4);
      } else {
        bytes = (uint8x4){pixel[0], pixel[1], pixel[2], 0};
      }
      sums += __builtin_convertvector(bytes, int32x4) * weight[tap];
    }
    for (int32_t channel = 0; channel < 3; channel++)
      output[x * 3 + channel] = clamp_shifted(sums[channel], axis->precision_bits);
  }
}

void graft_resample_horizontal(const uint8_t *in, int32_t width, int32_t channels, int32_t rows,
                               const graft_resample_axis *axis, uint8_t *out) {
  const uint8_t *end = in + (int64_t)rows * width * channels;
  for (int32_t row = 0; row < rows; row++) {
    const uint8_t *input = in + (int64_t)row * width * channels;
    uint8_t *output = out + (int64_t)row * axis->outputs * channels;
    switch (channels) {
    case 1: resample_row(input, 1, axis, output); break;
    case 3: resample_rgb_row(input, end, axis, output); break;
    default: resample_row(input, channels, axis, output); break;
    }
  }
}

void graft_resample_vertical(const uint8_t *in, int32_t row_length, int32_t first_row,
                             const graft_resample_axis *axis, uint8_t *out) {
  const int32_t half = 1 << (axis->precision_bits - 1);
  // One output row's sums, accumulated tap by tap over whole rows so the loop vectorises.
  int32_t *sums = malloc(sizeof(int32_t) * (size_t)(row_length > 0 ? row_length : 1));
  for (int32_t y = 0; y < axis->outputs; y++) {
    const int32_t *weight = axis->weights + (int64_t)y * axis->taps;
    const uint8_t *first = in + (int64_t)(axis->starts[y] - first_row) * row_length;
    for (int32_t offset = 0; offset < row_length; offset++) sums[offset] = half;
    for (int32_t tap = 0; tap < axis->counts[y]; tap++) {
      const uint8_t *source = first + (int64_t)tap * row_length;
      const int32_t w = weight[tap];
      for (int32_t offset = 0; offset < row_length; offset++) sums[offset] += source[offset] * w;
    }
    uint8_t *output = out + (int64_t)y * row_length;
    for (int32_t offset = 0; offset < row_length; offset++)
      output[offset] = clamp_shifted(sums[offset], axis->precision_bits);
  }
  free(sums);
}
