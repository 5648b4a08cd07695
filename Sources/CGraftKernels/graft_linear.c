#include "graft_dispatch.h"
#include "graft_linear.h"
#include "graft_vector.h"

// Layouts (see graft_linear.h for what is computed):
// - Packed W: the columns (depth) cut into chunks of KS; chunk k0 of kc values starts at
//   k0·Kp (Kp = classes rounded up to NR/2); its panel q of NR classes (NR/2 wide when it is
//   the last and at most NR/2 classes are left) starts at q·NR·kc and holds
//   (depth k0 + d, class q·NR + j) at d·width + j. Classes past `classes` are zero.
// - Packed G: the rows (depth) cut into chunks of KC; chunk i0 of kc rows starts at i0·Cp
//   (Cp = classes rounded up to MR); its panel p of MR classes starts at p·MR·kc and holds
//   (row i0 + d, class p·MR + r) at d·MR + r. Classes past `classes` are zero.
// The micro-kernel multiplies MR "rows" (X's rows, or G's classes) by NR "columns" (W's classes,
// or X's columns) over one chunk into 6×16 sums held in twelve 8-float registers, then adds them
// to the output (stores them on the first chunk). Scores: per chunk, each panel of MR rows of X
// (6 short row pieces, in L1 after the first panel of classes) meets every panel of W (the chunk
// of W stays in L2). Gradient: per chunk, each NR-column piece of X's rows (copied to 16 KB
// in L1) meets every panel of G (the chunk of G stays in L2).

// KS: the scores' depth chunk. One chunk for up to 2,048 columns, so that each element of Z is
// written once; chunks of 256 or 512 re-read Z from L3 and measured 15% slower at 1,280 columns.
enum {
  MR = GRAFT_LINEAR_ROW_PANEL,
  NR = GRAFT_LINEAR_COLUMN_PANEL,
  KC = GRAFT_LINEAR_DEPTH_CHUNK,
  KS = 2048
};

static long round_up(long value, long multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

static long min_long(long a, long b) { return a < b ? a : b; }

long graft_linear_packed_weights_count(long classes, long columns) {
  return round_up(classes, NR / 2) * columns;
}

// The classes of W's panel starting at class q0: NR, or NR/2 for a last panel of at most NR/2.
static long panel_width(long padded, long q0) { return min_long(NR, padded - q0); }

void graft_linear_pack_weights(const double *w, long classes, long columns, float *packed) {
  long padded = round_up(classes, NR / 2);
  for (long k0 = 0; k0 < columns; k0 += KS) {
    long kc = min_long(KS, columns - k0);
    float *chunk = packed + k0 * padded;
    for (long k = 0; k < padded; k++) {
      long q0 = k / NR * NR, width = panel_width(padded, q0);
      float *panel = chunk + q0 * kc + k - q0;
      for (long d = 0; d < kc; d++)
        panel[d * width] = k < classes ? (float)w[k * columns + k0 + d] : 0;
    }
  }
}

long graft_linear_packed_derivative_count(long rows, long classes) {
  return round_up(classes, MR) * rows;
}

void graft_linear_pack_derivative(const float *g, long rows, long classes, long row_begin,
                                  long row_end, float *packed) {
  long padded = round_up(classes, MR);
  for (long i = row_begin; i < row_end; i++) {
    long i0 = i / KC * KC;
    long kc = min_long(KC, rows - i0);
    float *row = packed + i0 * padded + (i - i0) * MR;
    for (long k = 0; k < padded; k++)
      row[k / MR * MR * kc + k % MR] = k < classes ? g[i * classes + k] : 0;
  }
}

// sums[r][h] = Σ_{d<kc} a[r·a_row + d·a_depth] · b[d·ldb + 8h + (0…7)] for r < mr, h < halves,
// d ascending.
static inline __attribute__((always_inline)) void multiply(long kc, int mr, int halves,
                                                          const float *restrict a, long a_row,
                                                          long a_depth, const float *restrict b,
                                                          long ldb, graft_v8 sums[MR][2]) {
  for (int r = 0; r < MR; r++) sums[r][0] = sums[r][1] = 0;
#pragma clang loop unroll_count(4)
  for (long d = 0; d < kc; d++) {
    graft_v8 low = *(const graft_v8_unaligned *)(b + d * ldb);
    graft_v8 high = halves == 2 ? *(const graft_v8_unaligned *)(b + d * ldb + 8) : 0;
#pragma clang loop unroll(full)
    for (int r = 0; r < mr; r++) {
      graft_v8 weight = a[r * a_row + d * a_depth];
      sums[r][0] += weight * low;
      if (halves == 2) sums[r][1] += weight * high;
    }
  }
}

// Adds the sums' first `rows` × `columns` to the tile at c (stores them when `first`).
static inline __attribute__((always_inline)) void update_tile(graft_v8 sums[MR][2],
                                                             float *restrict c, long ldc,
                                                             long rows, long columns, int first) {
  if (columns == NR) {
    for (long r = 0; r < rows; r++) {
      graft_v8_unaligned *target = (graft_v8_unaligned *)(c + r * ldc);
      target[0] = first ? sums[r][0] : target[0] + sums[r][0];
      target[1] = first ? sums[r][1] : target[1] + sums[r][1];
    }
    return;
  }
  _Alignas(32) float buffer[MR][NR];
  for (int r = 0; r < MR; r++) {
    *(graft_v8 *)buffer[r] = sums[r][0];
    *(graft_v8 *)(buffer[r] + 8) = sums[r][1];
  }
  for (long r = 0; r < rows; r++) {
    for (long j = 0; j < columns; j++)
      c[r * ldc + j] = first ? buffer[r][j] : c[r * ldc + j] + buffer[r][j];
  }
}

// One tile: `multiply`, then `update_tile` with the tile's `rows` × `columns` of the output at c.
static inline __attribute__((always_inline)) void tile(long kc, int mr, int halves,
                                                      const float *restrict a, long a_row,
                                                      long a_depth, const float *restrict b,
                                                      long ldb, float *restrict c, long ldc,
                                                      long rows, long columns, int first) {
  graft_v8 sums[MR][2];
  // The tile is far in cache when many tiles are updated chunk after chunk: fetching it now
  // hides that behind the products.
  if (!first)
    for (long r = 0; r < rows; r++) {
      __builtin_prefetch(c + r * ldc, 1);
      __builtin_prefetch(c + r * ldc + columns - 1, 1);
    }
  multiply(kc, mr, halves, a, a_row, a_depth, b, ldb, sums);
  update_tile(sums, c, ldc, rows, columns, first);
}

// `tile` with mr and halves constants in each case, so that every variant keeps its sums in
// registers from the first product to the store; all variants compute each sum with the same
// operations.
#define GRAFT_LINEAR_TILE(mr, halves)                                                            \
  tile(kc, mr, halves, a, a_row, a_depth, b, ldb, c, ldc, mr, columns, first)
static inline __attribute__((always_inline)) void tile_rows(long kc, long mr, int halves,
                                                           const float *restrict a, long a_row,
                                                           long a_depth, const float *restrict b,
                                                           long ldb, float *restrict c, long ldc,
                                                           long columns, int first) {
  if (halves == 1) {
    switch (mr) {
    case 1: GRAFT_LINEAR_TILE(1, 1); break;
    case 2: GRAFT_LINEAR_TILE(2, 1); break;
    case 3: GRAFT_LINEAR_TILE(3, 1); break;
    case 4: GRAFT_LINEAR_TILE(4, 1); break;
    case 5: GRAFT_LINEAR_TILE(5, 1); break;
    default: GRAFT_LINEAR_TILE(MR, 1); break;
    }
    return;
  }
  switch (mr) {
  case 1: GRAFT_LINEAR_TILE(1, 2); break;
  case 2: GRAFT_LINEAR_TILE(2, 2); break;
  case 3: GRAFT_LINEAR_TILE(3, 2); break;
  case 4: GRAFT_LINEAR_TILE(4, 2); break;
  case 5: GRAFT_LINEAR_TILE(5, 2); break;
  default: GRAFT_LINEAR_TILE(MR, 2); break;
  }
}

static inline __attribute__((always_inline)) void graft_linear_scores_body(
    long rows, long classes, long columns, const float *x, long ldx, const float *packed_w,
    float *z, long ldz) {
  long padded = round_up(classes, NR / 2);
  if (columns == 0) {
    for (long i = 0; i < rows; i++)
      for (long k = 0; k < classes; k++) z[i * ldz + k] = 0;
    return;
  }
  for (long k0 = 0; k0 < columns; k0 += KS) {
    long kc = min_long(KS, columns - k0);
    const float *chunk = packed_w + k0 * padded;
    for (long i0 = 0; i0 < rows; i0 += MR) {
      long mr = min_long(MR, rows - i0);
      for (long q0 = 0; q0 < classes; q0 += NR) {
        long width = panel_width(padded, q0);
        tile_rows(kc, mr, width / 8, x + i0 * ldx + k0, ldx, 1, chunk + q0 * kc, width,
                  z + i0 * ldz + q0, ldz, min_long(NR, classes - q0), k0 == 0);
      }
    }
  }
}
GRAFT_DISPATCH(graft_linear_scores,
               (long rows, long classes, long columns, const float *x, long ldx,
                const float *packed_w, float *z, long ldz),
               (rows, classes, columns, x, ldx, packed_w, z, ldz))

static inline __attribute__((always_inline)) void graft_linear_gradient_body(
    long classes, long rows, long columns, const float *packed_g, const float *x, long ldx,
    float *out, long ldo) {
  long padded = round_up(classes, MR), panels = padded / MR;
  if (rows == 0) {
    for (long k = 0; k < classes; k++)
      for (long j = 0; j < columns; j++) out[k * ldo + j] = 0;
    return;
  }
  _Alignas(64) float piece[KC * NR];
  for (long i0 = 0; i0 < rows; i0 += KC) {
    long kc = min_long(KC, rows - i0);
    const float *chunk = packed_g + i0 * padded;
    for (long j0 = 0; j0 < columns; j0 += NR) {
      long nc = min_long(NR, columns - j0);
      // The piece of X is copied to be contiguous: its rows are a stride apart, and strides that
      // are multiples of 1 KB (1,280 columns) map every row to the same few sets of L1, which
      // could then not hold the piece while the panels of classes reuse it.
      const float *source = x + i0 * ldx + j0;
      for (long d = 0; d < kc; d++)
        for (long j = 0; j < NR; j++) piece[d * NR + j] = j < nc ? source[d * ldx + j] : 0;
      // The next piece (the next columns of these rows, or the next chunk's first) is fetched
      // while this one is in use, a share of its rows before each panel of classes: the
      // hardware prefetchers do not follow rows a stride apart, and waiting for them one by one
      // would stall the copy.
      int more = j0 + NR < columns;
      const float *next = more ? source + NR : x + (i0 + kc) * ldx;
      long next_rows = more ? kc : min_long(KC, rows - i0 - kc);
      long share = (next_rows + panels - 1) / panels;
      for (long p0 = 0; p0 < classes; p0 += MR) {
        long d0 = p0 / MR * share, d1 = min_long(d0 + share, next_rows);
        for (long d = d0; d < d1; d++) __builtin_prefetch(next + d * ldx, 0, 2);
        tile(kc, MR, 2, chunk + p0 * kc, 1, MR, piece, NR, out + p0 * ldo + j0, ldo,
             min_long(MR, classes - p0), nc, i0 == 0);
      }
    }
  }
}
GRAFT_DISPATCH(graft_linear_gradient,
               (long classes, long rows, long columns, const float *packed_g, const float *x,
                long ldx, float *out, long ldo),
               (classes, rows, columns, packed_g, x, ldx, out, ldo))
