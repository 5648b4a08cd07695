import GraftRuntime

/// Matrix products for the MLP trainer, split across threads so that the result does not depend
/// on the thread count.
///
/// `C [M, N] = op(A) · op(B)`, row-major (`op(A)` is `[M, K]`; A is stored `[K, M]` when
/// `transposeA`; B is stored `[N, K]` when `transposeB`, else `[K, N]`). C's columns are cut into
/// fixed blocks of `Blocks.columns`, each computed by one BLAS call whatever `pool.threads` is; the
/// summed dimension K is never split. Every output element therefore comes from the same call
/// with the same arithmetic, and the weights a seed produces are bit-identical for any count.
enum MLPBlockedProduct {
  static func multiply(
    m: Int, n: Int, k: Int, a: UnsafePointer<Float>, transposeA: Bool = false,
    b: UnsafePointer<Float>, transposeB: Bool = false, c: UnsafeMutablePointer<Float>,
    pool: ThreadPool
  ) {
    let operands = Operands(a: a, b: b, c: c)
    let blocks = Blocks.ranges(n, size: Blocks.columns)
    pool.parallelFor(blocks.count) { chunk in
      for columns in blocks[chunk] {
        BLAS.sgemm(
          m: m, n: columns.count, k: k, a: operands.a, lda: transposeA ? m : k,
          transposeA: transposeA,
          b: operands.b + (transposeB ? columns.lowerBound * k : columns.lowerBound),
          ldb: transposeB ? k : n, transposeB: transposeB, c: operands.c + columns.lowerBound,
          ldc: n)
      }
    }
  }

  /// The operands of one product, shared by the threads; each thread writes its own columns of C.
  private struct Operands: @unchecked Sendable {
    let a: UnsafePointer<Float>
    let b: UnsafePointer<Float>
    let c: UnsafeMutablePointer<Float>
  }
}
