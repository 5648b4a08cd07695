internal import COpenBLAS

/// The runtime's single entry point into OpenBLAS.
public enum BLAS {
  /// `C = alpha · op(A) · op(B) + beta · C` in single precision, row-major.
  ///
  /// Layout: `A` is `m×k` (or `k×m` when `transposeA`), `B` is `k×n` (or `n×k` when `transposeB`),
  /// `C` is `m×n`, all row-major; a leading dimension (the distance between consecutive rows) is
  /// the row length unless given, so blocks of larger matrices can be read and written in place.
  /// OpenBLAS takes 32-bit sizes; larger products are a programmer error and trap.
  public static func sgemm(
    m: Int, n: Int, k: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int? = nil,
    transposeA: Bool = false, b: UnsafePointer<Float>, ldb: Int? = nil, transposeB: Bool = false,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int? = nil
  ) {
    let limit = Int(Int32.max)
    let lda = lda ?? (transposeA ? m : k)
    let ldb = ldb ?? (transposeB ? k : n)
    let ldc = ldc ?? n
    precondition(m >= 0 && n >= 0 && k >= 0, "negative sgemm size")
    precondition(
      [m, n, k, lda, ldb, ldc].allSatisfy { $0 <= limit }, "sgemm size exceeds 32 bits")
    guard m > 0 && n > 0 else { return }
    cblas_sgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(max(lda, 1)), b, Int32(max(ldb, 1)), beta, c,
      Int32(max(ldc, 1)))
  }

  /// OpenBLAS's build description (version, target CPU, threading), for diagnostics.
  public static var configuration: String { String(cString: openblas_get_config()) }
}
