#ifndef GRAFT_GEMM_H
#define GRAFT_GEMM_H

#include "graft_activation.h"

/// Graft's single-precision matrix product for convolutions: `C = epilogue(A · B)` with A packed
/// once ahead of time (weights) and the epilogue applied while each tile of C is in registers or
/// L1, so C is written once and never zeroed or re-read by a separate pass.
///
/// All matrices are row-major. `A` is m×k, `B` is k×n with leading dimension `ldb`, `C` is m×n
/// with leading dimension `ldc`. Every element of C is summed over k in the same order whatever
/// the other arguments' sizes, so results do not depend on how the caller splits columns between
/// threads.

/// What happens to each finished element: `C[i][j] = activation((A·B)[i][j] + bias[i] +
/// residual[i][j])`, additions in that order, absent terms skipped.
typedef struct {
  /// m values, one per row of C, or NULL.
  const float *bias;
  /// An m×n matrix with leading dimension `residual_stride`, or NULL.
  const float *residual;
  long residual_stride;
  graft_activation activation;
  /// Clip's bounds (unused by the other activations).
  float lower, upper;
} graft_epilogue;

/// Number of floats graft_gemm_pack_a writes for an m×k matrix.
long graft_gemm_packed_a_count(long m, long k);

/// Packs the m×k matrix `a` (leading dimension `lda`) into `packed`
/// (graft_gemm_packed_a_count(m, k) floats) for graft_gemm.
void graft_gemm_pack_a(const float *a, long lda, long m, long k, float *packed);

/// Number of floats of scratch graft_gemm needs for n columns and depth k.
long graft_gemm_workspace_count(long n, long k);

/// C = epilogue(A · B) with `packed_a` from graft_gemm_pack_a. `workspace` holds
/// graft_gemm_workspace_count(n, k) floats and is 64-byte aligned. Single-threaded.
void graft_gemm(long m, long n, long k, const float *packed_a, const float *b, long ldb, float *c,
                long ldc, const graft_epilogue *epilogue, float *workspace);

#endif
