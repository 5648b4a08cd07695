#ifndef GRAFT_LINEAR_H
#define GRAFT_LINEAR_H

/// The two products of fitting a linear head on a fixed feature matrix X (rows × columns,
/// row-major, float32), written for its shapes: many rows, a thousand or so columns, tens to
/// hundreds of classes.
///
/// - scores:   Z = X·Wᵀ      (rows × classes), W the classes × columns weights;
/// - gradient: Γ = Gᵀ·X      (classes × columns), G the rows × classes derivative of the loss.
///
/// X is read where it lies, never packed: the small operand (W, or G) is packed once per product
/// into panels, and each micro-kernel broadcasts X's elements (scores) or loads X's row pieces
/// (gradient) straight from the caller's matrix. That is what BLAS cannot do: `sgemm` packs all
/// of X again on every call, which costs a third of the time at these shapes.
///
/// Sums run over the depth (columns for scores, rows for the gradient) in fixed chunks
/// (GRAFT_LINEAR_DEPTH_CHUNK rows for the gradient), ascending within a chunk, each chunk's sum
/// added to the output in chunk order. Every output element is computed the same way whichever
/// range of rows (scores) or columns (gradient) a call covers, so splitting those ranges between
/// threads does not change a bit, provided every range but the last starts and ends on a
/// multiple of GRAFT_LINEAR_ROW_PANEL rows (scores) or GRAFT_LINEAR_COLUMN_PANEL columns
/// (gradient).

/// The rows of one chunk of the gradient's sums.
#define GRAFT_LINEAR_DEPTH_CHUNK 256
/// Rows of Z one micro-kernel computes.
#define GRAFT_LINEAR_ROW_PANEL 6
/// Columns of Γ one micro-kernel computes.
#define GRAFT_LINEAR_COLUMN_PANEL 16

/// Number of floats graft_linear_pack_weights writes.
long graft_linear_packed_weights_count(long classes, long columns);

/// Packs the double weights `w` (classes × columns, row-major) as float32 for
/// graft_linear_scores.
void graft_linear_pack_weights(const double *w, long classes, long columns, float *packed);

/// z[i·ldz + k] = Σ_j x[i·ldx + j]·w[k][j] for i < rows, k < classes, with `packed_w` from
/// graft_linear_pack_weights. Single-threaded.
void graft_linear_scores(long rows, long classes, long columns, const float *x, long ldx,
                         const float *packed_w, float *z, long ldz);

/// Number of floats graft_linear_pack_derivative writes for all `rows`.
long graft_linear_packed_derivative_count(long rows, long classes);

/// Packs rows [row_begin, row_end) of `g` (rows × classes, row-major) for graft_linear_gradient;
/// `row_begin` is a multiple of GRAFT_LINEAR_DEPTH_CHUNK and `row_end` one too or `rows`, so
/// disjoint ranges can be packed by different threads.
void graft_linear_pack_derivative(const float *g, long rows, long classes, long row_begin,
                                  long row_end, float *packed);

/// out[c·ldo + j] = Σ_i g[i][c]·x[i·ldx + j] for c < classes, j < columns, with `packed_g` from
/// graft_linear_pack_derivative over all `rows`. Single-threaded.
void graft_linear_gradient(long classes, long rows, long columns, const float *packed_g,
                           const float *x, long ldx, float *out, long ldo);

#endif
