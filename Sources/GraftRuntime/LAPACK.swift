internal import COpenBLAS

/// A LAPACK routine that refused its input.
public enum LAPACKError: Error, Equatable, CustomStringConvertible {
  /// The matrix of `solveSymmetricPositiveDefinite` is not positive definite: the leading minor
  /// of this order is not positive.
  case notPositiveDefinite(order: Int)
  /// `symmetricEigen` did not converge (LAPACK's `info`).
  case eigenNotConverged(info: Int)

  public var description: String {
    switch self {
    case .notPositiveDefinite(let order):
      "LAPACK dposv: the matrix is not positive definite (leading minor of order \(order))"
    case .eigenNotConverged(let info):
      "LAPACK dsyevd: the eigenvalue iteration did not converge (info \(info))"
    }
  }
}

/// The runtime's entry point into LAPACK (double precision, through OpenBLAS).
///
/// Matrices are row-major `[rows][columns]`. Both routines take symmetric matrices, for which
/// row- and column-major layouts coincide, so no transposition is needed.
public enum LAPACK {
  /// Solves `A·X = B` for symmetric positive definite `A` by Cholesky factorisation (`dposv`).
  ///
  /// - Parameters:
  ///   - a: `n×n` symmetric positive definite; only its upper triangle (row-major) is read.
  ///   - b: `n×rhs`, row-major: one right-hand side per column.
  /// - Returns: `X`, `n×rhs` row-major.
  /// - Throws: `LAPACKError.notPositiveDefinite` when the factorisation breaks down.
  public static func solveSymmetricPositiveDefinite(_ a: [Double], _ b: [Double], n: Int, rhs: Int)
    throws -> [Double]
  {
    precondition(a.count == n * n && b.count == n * rhs, "dposv: sizes do not match")
    precondition(n <= Int(Int32.max) && rhs <= Int(Int32.max), "dposv: size exceeds 32 bits")
    guard n > 0 && rhs > 0 else { return b }
    var factor = a
    // LAPACK reads B column-major: one right-hand side per contiguous column.
    var columns = transpose(b, rows: n, columns: rhs)
    var size = Int32(n)
    var count = Int32(rhs)
    var info: Int32 = 0
    // Row-major upper triangle = column-major lower triangle.
    dposv_("L", &size, &count, &factor, &size, &columns, &size, &info, 1)
    if info > 0 { throw LAPACKError.notPositiveDefinite(order: Int(info)) }
    precondition(info == 0, "dposv: invalid argument \(-info)")
    return transpose(columns, rows: rhs, columns: n)
  }

  /// Eigenvalues and eigenvectors of the symmetric matrix `a` (`dsyevd`).
  ///
  /// - Parameter a: `n×n` symmetric; only its upper triangle (row-major) is read.
  /// - Returns: the eigenvalues in ascending order and the eigenvectors as the rows of an `n×n`
  ///   row-major matrix (row `i` belongs to `values[i]`), so `a = Vᵀ·diag(values)·V`.
  /// - Throws: `LAPACKError.eigenNotConverged`.
  public static func symmetricEigen(_ a: [Double], n: Int) throws -> (
    values: [Double], vectors: [Double]
  ) {
    precondition(a.count == n * n, "dsyevd: the matrix is not n×n")
    precondition(n <= 46_340, "dsyevd: workspace size exceeds 32 bits")
    guard n > 0 else { return ([], []) }
    var vectors = a
    var values = [Double](repeating: 0, count: n)
    var size = Int32(n)
    var info: Int32 = 0
    var workCount = Int32(1 + 6 * n + 2 * n * n)
    var integerCount = Int32(3 + 5 * n)
    var work = [Double](repeating: 0, count: Int(workCount))
    var integers = [Int32](repeating: 0, count: Int(integerCount))
    dsyevd_(
      "V", "L", &size, &vectors, &size, &values, &work, &workCount, &integers, &integerCount,
      &info, 1, 1)
    if info > 0 { throw LAPACKError.eigenNotConverged(info: Int(info)) }
    precondition(info == 0, "dsyevd: invalid argument \(-info)")
    // Column-major eigenvectors read row-major are already one vector per row.
    return (values, vectors)
  }

  private static func transpose(_ m: [Double], rows: Int, columns: Int) -> [Double] {
    var result = [Double](repeating: 0, count: m.count)
    for row in 0..<rows {
      for column in 0..<columns { result[column * rows + row] = m[row * columns + column] }
    }
    return result
  }
}
