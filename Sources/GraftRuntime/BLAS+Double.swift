internal import COpenBLAS

extension BLAS {
  /// `C = alpha · op(A) · op(B) + beta · C` in double precision, row-major; the layout and size
  /// checks are those of `sgemm`.
  public static func dgemm(
    m: Int, n: Int, k: Int, alpha: Double = 1, a: UnsafePointer<Double>, lda: Int? = nil,
    transposeA: Bool = false, b: UnsafePointer<Double>, ldb: Int? = nil, transposeB: Bool = false,
    beta: Double = 0, c: UnsafeMutablePointer<Double>, ldc: Int? = nil
  ) {
    let lda = lda ?? (transposeA ? m : k)
    let ldb = ldb ?? (transposeB ? k : n)
    let ldc = ldc ?? n
    precondition(m >= 0 && n >= 0 && k >= 0, "negative dgemm size")
    precondition(
      [m, n, k, lda, ldb, ldc].allSatisfy { $0 <= Int(Int32.max) }, "dgemm size exceeds 32 bits")
    guard m > 0 && n > 0 else { return }
    cblas_dgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(max(lda, 1)), b, Int32(max(ldb, 1)), beta, c,
      Int32(max(ldc, 1)))
  }

  /// Makes every OpenBLAS call run on the calling thread.
  ///
  /// Callers that split work across their own `ThreadPool` in fixed blocks call this first, so
  /// the threads are not oversubscribed and each block's arithmetic is the same whatever the
  /// thread count (`Session` does the same).
  public static func useCallingThreadOnly() { openblas_set_num_threads(1) }
}
