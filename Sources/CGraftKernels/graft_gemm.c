#include "graft_dispatch.h"
#include "graft_gemm.h"
#include "graft_vector.h"

// Goto/BLIS-style blocking, written by hand rather than calling OpenBLAS because BLAS has no way
// to keep packed weights between calls, to skip its separate beta pass over C, or to apply a
// convolution's bias, residual and activation while a tile of C is still in registers.
//
// - A is packed once (weights): K is cut into chunks of KC; within a chunk of kc values starting
//   at k0 (at offset k0·Mp, Mp = m rounded up to MR), panel p of MR rows starts at p·MR·kc and
//   holds element (row p·MR + r, depth k0 + d) at d·MR + r. Rows past m are zero.
// - For each K chunk, B's kc×n slice is packed in blocks of at most 128 KB (L2): a block's
//   columns form panels of NR, panel q at q·NR·kc holding (depth d, column q·NR + j) at
//   d·NR + j. Columns past n are zero.
// - The micro-kernel multiplies one A panel by one B panel into MR×NR sums held in registers
//   (6×16 floats: twelve 8-wide registers on AVX2), adds them to C (first chunk: stores them),
//   and on the last chunk applies the epilogue to the tile while it is in L1.
// - Loops: K chunks ⊃ packed B blocks ⊃ bands of rows ⊃ B panels ⊃ A panels. For deep chunks a
//   band is MC rows (A block ≤ 168 KB, in L2 with the B block; each B panel stays in L1 while the
//   band's A panels stream past it). For shallow chunks (kc ≤ SHALLOW) the product is bound by
//   writing C, not by arithmetic, and a band is one A panel: C is then written row-wise, MR
//   sequential streams, rather than one 64-byte piece of each of MC rows at a time.

enum { MR = 6, NR = 16, KC = 256, MC = 28 * MR, B_BLOCK_FLOATS = 32768, SHALLOW = 64 };


static long round_up(long value, long multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

static long min_long(long a, long b) { return a < b ? a : b; }

// Columns per packed B block for depth kc: the block stays within B_BLOCK_FLOATS.
static long block_columns(long kc) {
  long columns = B_BLOCK_FLOATS / kc / NR * NR;
  return columns > NR ? columns : NR;
}

long graft_gemm_packed_a_count(long m, long k) { return round_up(m, MR) * k; }

long graft_gemm_workspace_count(long n, long k) {
  long kc = min_long(k, KC);
  long count = kc * min_long(round_up(n, NR), block_columns(kc > 0 ? kc : 1));
  return count > 0 ? count : 1;
}

void graft_gemm_pack_a(const float *a, long lda, long m, long k, float *packed) {
  long padded = round_up(m, MR);
  for (long k0 = 0; k0 < k; k0 += KC) {
    long kc = min_long(KC, k - k0);
    float *chunk = packed + k0 * padded;
    for (long row = 0; row < padded; row++) {
      float *panel = chunk + row / MR * MR * kc + row % MR;
      for (long d = 0; d < kc; d++) panel[d * MR] = row < m ? a[row * lda + k0 + d] : 0;
    }
  }
}

// Packs rows [0, kc) and columns [0, n) of b into NR-column panels, zero-filling the last.
static inline __attribute__((always_inline)) void pack_b(const float *restrict b, long ldb,
                                                        long kc, long n, float *restrict packed) {
  long full = n / NR * NR;
  for (long d = 0; d < kc; d++) {
    const float *source = b + d * ldb;
    for (long j = 0; j < full; j += NR) {
      float *target = packed + j * kc + d * NR;
      for (long i = 0; i < NR; i++) target[i] = source[j + i];
    }
    if (full < n) {
      float *target = packed + full * kc + d * NR;
      for (long i = 0; i < NR; i++) target[i] = full + i < n ? source[full + i] : 0;
    }
  }
}

// sums[r][h] (8 columns each) = Σ_d a[d·MR + r] · b[d·NR + 8h + j], d ascending.
static inline __attribute__((always_inline)) void multiply_panels(long kc, const float *restrict a,
                                                                 const float *restrict b,
                                                                 graft_v8 sums[MR][2]) {
  for (int r = 0; r < MR; r++) sums[r][0] = sums[r][1] = 0;
#pragma clang loop unroll_count(4)
  for (long d = 0; d < kc; d++) {
    graft_v8 low = *(const graft_v8 *)(b + d * NR);
    graft_v8 high = *(const graft_v8 *)(b + d * NR + 8);
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
      graft_v8 weight = a[d * MR + r];
      sums[r][0] += weight * low;
      sums[r][1] += weight * high;
    }
  }
}

// The epilogue of one element (scalar) and of eight (vector); both compute the same bits.
static inline __attribute__((always_inline)) float finish(float x, float bias, const float *residual,
                                                         const graft_epilogue *e) {
  x += bias;
  if (residual) x += *residual;
  return graft_activate(x, e->activation, e->lower, e->upper);
}

static inline __attribute__((always_inline)) graft_v8 finish8(graft_v8 x, float bias,
                                                             const float *residual,
                                                             const graft_epilogue *e) {
  x += bias;
  if (residual) x += *(const graft_v8_unaligned *)residual;
  return graft_activate8(x, e->activation, e->lower, e->upper);
}

// Adds one tile's sums to C's rows [row0, row0 + rows) and columns [column0, column0 + columns)
// (on the first K chunk: stores them), applying the epilogue on the last chunk.
static inline __attribute__((always_inline)) void update_tile(
    graft_v8 sums[MR][2], float *restrict c, long ldc, long row0, long column0, long rows, long columns,
    int first, int last, const graft_epilogue *e) {
  float *tile = c + row0 * ldc + column0;
  const float *residual = e->residual ? e->residual + row0 * e->residual_stride + column0 : 0;
  if (rows == MR && columns == NR) {
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
      graft_v8_unaligned *target = (graft_v8_unaligned *)(tile + r * ldc);
      graft_v8 low = first ? sums[r][0] : target[0] + sums[r][0];
      graft_v8 high = first ? sums[r][1] : target[1] + sums[r][1];
      if (last) {
        float bias = e->bias ? e->bias[row0 + r] : 0;
        const float *added = residual ? residual + r * e->residual_stride : 0;
        low = finish8(low, bias, added, e);
        high = finish8(high, bias, added ? added + 8 : 0, e);
      }
      target[0] = low;
      target[1] = high;
    }
    return;
  }
  _Alignas(32) float buffer[MR][NR];
  for (int r = 0; r < MR; r++) {
    *(graft_v8 *)buffer[r] = sums[r][0];
    *(graft_v8 *)(buffer[r] + 8) = sums[r][1];
  }
  for (long r = 0; r < rows; r++) {
    float *target = tile + r * ldc;
    float bias = e->bias ? e->bias[row0 + r] : 0;
    const float *added = residual ? residual + r * e->residual_stride : 0;
    for (long j = 0; j < columns; j++) {
      float x = first ? buffer[r][j] : target[j] + buffer[r][j];
      target[j] = last ? finish(x, bias, added ? added + j : 0, e) : x;
    }
  }
}

static inline __attribute__((always_inline)) void graft_gemm_body(
    long m, long n, long k, const float *packed_a, const float *b, long ldb, float *c, long ldc,
    const graft_epilogue *e, float *workspace) {
  if (k == 0) {
    for (long row = 0; row < m; row++) {
      const float *residual = e->residual ? e->residual + row * e->residual_stride : 0;
      for (long j = 0; j < n; j++)
        c[row * ldc + j] = finish(0, e->bias ? e->bias[row] : 0, residual ? residual + j : 0, e);
    }
    return;
  }
  long padded = round_up(m, MR);
  for (long k0 = 0; k0 < k; k0 += KC) {
    long kc = min_long(KC, k - k0);
    int first = k0 == 0, last = k0 + kc == k;
    const float *chunk = packed_a + k0 * padded;
    long width = block_columns(kc);
    long band = kc > SHALLOW ? MC : MR;
    for (long block = 0; block < n; block += width) {
      long columns = min_long(width, n - block);
      pack_b(b + k0 * ldb + block, ldb, kc, columns, workspace);
      for (long i0 = 0; i0 < m; i0 += band) {
        long i1 = min_long(m, i0 + band);
        for (long j0 = 0; j0 < columns; j0 += NR) {
          for (long row0 = i0; row0 < i1; row0 += MR) {
            graft_v8 sums[MR][2];
            multiply_panels(kc, chunk + row0 * kc, workspace + j0 * kc, sums);
            update_tile(sums, c, ldc, row0, block + j0, min_long(MR, m - row0),
                        min_long(NR, columns - j0), first, last, e);
          }
        }
      }
    }
  }
}
GRAFT_DISPATCH(graft_gemm,
               (long m, long n, long k, const float *packed_a, const float *b, long ldb, float *c,
                long ldc, const graft_epilogue *epilogue, float *workspace),
               (m, n, k, packed_a, b, ldb, c, ldc, epilogue, workspace))
