#include "graft_resample.h"

static inline uint8_t clamp_shifted(int32_t sum, int32_t bits) {
  int32_t value = sum >> bits;
  return value < 0 ? 0 : value > 255 ? 255 : (uint8_t)value;
}

void graft_resample_horizontal(const uint8_t *in, int32_t width, int32_t channels, int32_t rows,
                               const graft_resample_axis *axis, uint8_t *out) {
  const int32_t half = 1 << (axis->precision_bits - 1);
  for (int32_t row = 0; row < rows; row++) {
    const uint8_t *input = in + (int64_t)row * width * channels;
    uint8_t *output = out + (int64_t)row * axis->outputs * channels;
    for (int32_t x = 0; x < axis->outputs; x++) {
      const int32_t *weight = axis->weights + (int64_t)x * axis->taps;
      const uint8_t *first = input + (int64_t)axis->starts[x] * channels;
      const int32_t count = axis->counts[x];
      for (int32_t channel = 0; channel < channels; channel++) {
        int32_t sum = half;
        for (int32_t tap = 0; tap < count; tap++) sum += first[tap * channels + channel] * weight[tap];
        output[x * channels + channel] = clamp_shifted(sum, axis->precision_bits);
      }
    }
  }
}

void graft_resample_vertical(const uint8_t *in, int32_t row_length, int32_t first_row,
                             const graft_resample_axis *axis, uint8_t *out) {
  const int32_t half = 1 << (axis->precision_bits - 1);
  for (int32_t y = 0; y < axis->outputs; y++) {
    const int32_t *weight = axis->weights + (int64_t)y * axis->taps;
    const uint8_t *first = in + (int64_t)(axis->starts[y] - first_row) * row_length;
    const int32_t count = axis->counts[y];
    uint8_t *output = out + (int64_t)y * row_length;
    for (int32_t offset = 0; offset < row_length; offset++) {
      int32_t sum = half;
      for (int32_t tap = 0; tap < count; tap++)
        sum += first[(int64_t)tap * row_length + offset] * weight[tap];
      output[offset] = clamp_shifted(sum, axis->precision_bits);
    }
  }
}
