import GraftRuntime
import Testing

/// Cholesky solve of a 3×3 system with two right-hand sides, row-major in and out.
@Test func solvesSymmetricPositiveDefiniteSystem() throws {
  let a: [Double] = [4, 1, 2, 1, 3, 0, 2, 0, 5]
  let x: [Double] = [1, -2, 0.5, 3, 2, -1]  // 3×2
  var b = [Double](repeating: 0, count: 6)
  for i in 0..<3 {
    for j in 0..<2 { for k in 0..<3 { b[i * 2 + j] += a[i * 3 + k] * x[k * 2 + j] } }
  }
  let solved = try LAPACK.solveSymmetricPositiveDefinite(a, b, n: 3, rhs: 2)
  #expect(zip(solved, x).allSatisfy { abs($0 - $1) < 1e-12 })
  #expect(throws: LAPACKError.notPositiveDefinite(order: 2)) {
    try LAPACK.solveSymmetricPositiveDefinite([1, 2, 2, 1], [1, 1], n: 2, rhs: 1)
  }
}

/// Eigenpairs come back ascending, one vector per row, and rebuild the matrix.
@Test func symmetricEigenRebuildsMatrix() throws {
  let a: [Double] = [2, 1, 0, 1, 2, 0, 0, 0, 5]
  let (values, vectors) = try LAPACK.symmetricEigen(a, n: 3)
  #expect(zip(values, [1.0, 3, 5]).allSatisfy { abs($0 - $1) < 1e-12 })
  for i in 0..<3 {
    for j in 0..<3 {
      let rebuilt = (0..<3).reduce(0.0) {
        $0 + vectors[$1 * 3 + i] * values[$1] * vectors[$1 * 3 + j]
      }
      #expect(abs(rebuilt - a[i * 3 + j]) < 1e-12)
    }
  }
}
