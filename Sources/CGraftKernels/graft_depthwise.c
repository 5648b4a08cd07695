#include <string.h>

#include "graft_depthwise.h"
#include "graft_dispatch.h"
#include "graft_vector.h"

static inline __attribute__((always_inline)) graft_v8 graft_load8(const float *p) {
  graft_v8 v;
  memcpy(&v, p, sizeof v);
  return v;
}

// Copies one input plane into the scratch's interior (see graft_depthwise_shape). Called with a
// constant `sw` for strides 1 and 2, so that the divisions are shifts and the loops vectorise:
// small planes are many, and their per-plane work must stay small.
static inline __attribute__((always_inline)) void graft_depthwise_copy_stride(
    const graft_depthwise_shape *s, const float *restrict x, float *restrict scratch,
    const long sw) {
  const long pw = s->phase_width, left = s->pad_left;
  long first[sw], end[sw];
  for (long p = 0; p < sw; p++) {
    // Positions q with input column q·sw + p − left in [0, input_width) and q < pw.
    long c0 = left - p;
    first[p] = c0 > 0 ? (c0 + sw - 1) / sw : 0;
    long c1 = s->input_width - 1 + left - p;
    end[p] = c1 < 0 ? 0 : c1 / sw + 1;
    if (end[p] > pw) end[p] = pw;
  }
  long top = s->pad_top > 0 ? s->pad_top : 0;
  long bottom = s->input_height + s->pad_top;
  if (bottom > s->scratch_rows) bottom = s->scratch_rows;
  for (long r = top; r < bottom; r++) {
    const float *source = x + (r - s->pad_top) * s->input_width;
    float *target = scratch + r * s->row_stride;
    if (sw == 2) {
      // Where both phases are inside the row, 16 inputs give 8 cells of each.
      long q = first[0] > first[1] ? first[0] : first[1];
      const long both = end[0] < end[1] ? end[0] : end[1];
      for (long p = 0; p < 2; p++)
        for (long c = first[p]; c < q; c++) target[p * pw + c] = source[2 * c + p - left];
      for (; q + 8 <= both; q += 8) {
        graft_v8 lo = graft_load8(source + 2 * q - left);
        graft_v8 hi = graft_load8(source + 2 * q + 8 - left);
        graft_v8 even = __builtin_shufflevector(lo, hi, 0, 2, 4, 6, 8, 10, 12, 14);
        graft_v8 odd = __builtin_shufflevector(lo, hi, 1, 3, 5, 7, 9, 11, 13, 15);
        memcpy(target + q, &even, sizeof even);
        memcpy(target + pw + q, &odd, sizeof odd);
      }
      for (long p = 0; p < 2; p++)
        for (long c = q > first[p] ? q : first[p]; c < end[p]; c++)
          target[p * pw + c] = source[2 * c + p - left];
    } else {
      for (long p = 0; p < sw; p++)
        for (long q = first[p]; q < end[p]; q++) target[p * pw + q] = source[q * sw + p - left];
    }
  }
}

static inline __attribute__((always_inline)) void graft_depthwise_copy(
    const graft_depthwise_shape *s, const float *restrict x, float *restrict scratch) {
  switch (s->stride_width) {
  case 1:
    graft_depthwise_copy_stride(s, x, scratch, 1);
    break;
  case 2:
    graft_depthwise_copy_stride(s, x, scratch, 2);
    break;
  default:
    graft_depthwise_copy_stride(s, x, scratch, s->stride_width);
  }
}

// The plane's outputs are cut into vectors of 8 along each row (a row's last vector may be
// partial) and taken GRAFT_DEPTHWISE_GROUP at a time, in order, across rows: each vector sums all
// kernel cells in a register, starting from the bias, in the cells' order, so narrow planes keep
// as many independent sums in flight as wide ones. The last group repeats its last vector to
// stay full and stores only its own vectors. A partial vector is computed whole (the scratch is
// wide enough) and stored whole too where the plane goes on: its extra lanes land on the next
// rows' first outputs, which later stores overwrite. Lanes past the plane are never stored (the
// next plane may belong to another thread).
#define GRAFT_DEPTHWISE_GROUP 8

// Stores the lanes of `a` that lie before `end`, the end of the plane's outputs.
static inline __attribute__((always_inline)) void graft_store8(float *out, graft_v8 a,
                                                               float *end) {
  if (out + 8 <= end) {
    memcpy(out, &a, sizeof a);
  } else {
    for (long i = 0; i < end - out; i++) out[i] = a[i];
  }
}

// a[j] = activation(bias + Σ_k w[k] · in[j][taps[k]]) for each vector j of a group.
static inline __attribute__((always_inline)) void graft_depthwise_group(
    const float *const in[GRAFT_DEPTHWISE_GROUP], const long *taps, long tap_count,
    const float *w, float bias, graft_activation activation, float lower, float upper,
    graft_v8 a[GRAFT_DEPTHWISE_GROUP]) {
#pragma clang loop unroll(full)
  for (int j = 0; j < GRAFT_DEPTHWISE_GROUP; j++) a[j] = bias;
  for (long k = 0; k < tap_count; k++) {
    const graft_v8 wk = w[k];
    const long t = taps[k];
#pragma clang loop unroll(full)
    for (int j = 0; j < GRAFT_DEPTHWISE_GROUP; j++) a[j] += wk * graft_load8(in[j] + t);
  }
#pragma clang loop unroll(full)
  for (int j = 0; j < GRAFT_DEPTHWISE_GROUP; j++)
    a[j] = graft_activate8(a[j], activation, lower, upper);
}

// The plane for one activation: with `activation` a constant, the switch in graft_activate8
// leaves the loops and the sums go from registers to memory directly.
static inline __attribute__((always_inline)) void graft_depthwise_plane_activated(
    const graft_depthwise_shape *s, const long *taps, long tap_count, const float *x,
    const float *w, float bias, const graft_activation activation, float lower,
    float upper, float *scratch, float *y, const float *next) {
  graft_depthwise_copy(s, x, scratch);
  const long width = s->output_width, vectors = (width + 7) / 8;
  const long total = s->output_height * vectors, step = s->stride_height * s->row_stride;
  float *const end = y + s->output_height * width;
  // The next plane's input, 16 floats (a cache line) per prefetch, spread over the groups: a
  // full group reads about 4·strides lines of input (no division: small planes are many).
  const long lines = next ? (s->input_height * s->input_width + 15) / 16 : 0;
  const long per_group = 4 * s->stride_height * s->stride_width + 1;
  long fetched = 0;
  // The next job: vector v of the row that starts at row_in in the scratch and row_out in y.
  const float *row_in = scratch;
  float *row_out = y;
  long v = 0;
  const float *in[GRAFT_DEPTHWISE_GROUP];
  float *out[GRAFT_DEPTHWISE_GROUP];
  graft_v8 a[GRAFT_DEPTHWISE_GROUP];
  long job = 0;
  for (; job + GRAFT_DEPTHWISE_GROUP < total; job += GRAFT_DEPTHWISE_GROUP) {
    for (long i = 0; i < per_group && fetched < lines; i++, fetched++)
      __builtin_prefetch(next + fetched * 16, 0, 2);
#pragma clang loop unroll(full)
    for (int j = 0; j < GRAFT_DEPTHWISE_GROUP; j++) {
      in[j] = row_in + v * 8;
      out[j] = row_out + v * 8;
      if (++v == vectors) {
        v = 0;
        row_in += step;
        row_out += width;
      }
    }
    graft_depthwise_group(in, taps, tap_count, w, bias, activation, lower, upper, a);
#pragma clang loop unroll(full)
    for (int j = 0; j < GRAFT_DEPTHWISE_GROUP; j++) graft_store8(out[j], a[j], end);
  }
  for (; fetched < lines; fetched++) __builtin_prefetch(next + fetched * 16, 0, 2);
  // The last 1 to 8 vectors; the group is filled up by repeating the last one.
  const long count = total - job;
  for (int j = 0; j < GRAFT_DEPTHWISE_GROUP; j++) {
    in[j] = row_in + v * 8;
    out[j] = row_out + v * 8;
    if (j + 1 < count && ++v == vectors) {
      v = 0;
      row_in += step;
      row_out += width;
    }
  }
  graft_depthwise_group(in, taps, tap_count, w, bias, activation, lower, upper, a);
  for (int j = 0; j < count; j++) graft_store8(out[j], a[j], end);
}

static inline __attribute__((always_inline)) void graft_depthwise_plane_body(
    const graft_depthwise_shape *s, const long *taps, long tap_count, const float *x,
    const float *w, float bias, graft_activation activation, float lower, float upper,
    float *scratch, float *y, const float *next) {
  switch (activation) {
  case GRAFT_ACTIVATION_RELU:
    graft_depthwise_plane_activated(s, taps, tap_count, x, w, bias, GRAFT_ACTIVATION_RELU, lower,
                                    upper, scratch, y, next);
    break;
  case GRAFT_ACTIVATION_CLIP:
    graft_depthwise_plane_activated(s, taps, tap_count, x, w, bias, GRAFT_ACTIVATION_CLIP, lower,
                                    upper, scratch, y, next);
    break;
  default:
    graft_depthwise_plane_activated(s, taps, tap_count, x, w, bias, GRAFT_ACTIVATION_NONE,
                                    lower, upper, scratch, y, next);
  }
}

GRAFT_DISPATCH(graft_depthwise_plane,
               (const graft_depthwise_shape *shape, const long *taps, long tap_count,
                const float *x, const float *w, float bias,
                graft_activation activation, float lower, float upper, float *scratch,
                float *y, const float *next),
               (shape, taps, tap_count, x, w, bias, activation, lower, upper, scratch, y, next))
