import Testing

@testable import GraftRuntime

/// Irregular values in [−1, 1).
private func values(_ count: Int, seed: Int) -> [Float] {
  (0..<count).map { Float(($0 * 37 + seed * 11 + 5) % 41) / 41 * 2 - 1 }
}

struct ProductCase: Sendable, CustomTestStringConvertible {
  let rows: Int
  let columns: Int
  let depth: Int
  var testDescription: String { "\(rows)×\(depth) · \(depth)×\(columns)" }
}

/// Sizes around the kernel's 6-row panels, 16-column panels and 256-deep chunks, and empty depth.
@Test(arguments: [
  ProductCase(rows: 1, columns: 1, depth: 1),
  ProductCase(rows: 6, columns: 16, depth: 5),
  ProductCase(rows: 7, columns: 37, depth: 300),
  ProductCase(rows: 20, columns: 50, depth: 513),
  ProductCase(rows: 5, columns: 2100, depth: 16),
  ProductCase(rows: 4, columns: 9, depth: 0),
])
func packedProductMatchesTheFormula(_ test: ProductCase) {
  let (m, n, k) = (test.rows, test.columns, test.depth)
  // A and C sit in wider matrices (leading dimensions larger than their rows).
  let (lda, ldb, ldc) = (k + 3, n + 5, n + 2)
  let a = values(m * lda, seed: 1)
  let b = values(k * ldb, seed: 2)
  let bias = values(m, seed: 3)
  let residual = values(m * ldc, seed: 4)
  let packed = a.withUnsafeBufferPointer {
    PackedMatrix(packing: $0.baseAddress!, leadingDimension: lda, rows: m, depth: k)
  }
  let activations: [(FusedActivation?, (Float) -> Float)] = [
    (nil, { $0 }), (.relu, { $0 > 0 ? $0 : 0 }),
    (.clip(lower: -0.5, upper: 0.25), { min(max($0, -0.5), 0.25) }),
  ]
  for (activation, formula) in activations {
    var c = [Float](repeating: .nan, count: m * ldc)
    let workspace = GEMMWorkspace(count: packed.workspaceCount(columns: n))
    c.withUnsafeMutableBufferPointer { target in
      packed.multiply(
        b, ldb: ldb, columns: n, into: target.baseAddress!, ldc: ldc, bias: bias,
        residual: residual, activation: activation, workspace: workspace.floats)
    }
    for i in 0..<m {
      for j in 0..<n {
        let sum = (0..<k).reduce(0.0) { $0 + Double(a[i * lda + $1]) * Double(b[$1 * ldb + j]) }
        let expected = formula(Float(sum + Double(bias[i])) + residual[i * ldc + j])
        #expect(abs(c[i * ldc + j] - expected) <= 1e-5 * max(1, Float(k)))
      }
      // Columns past n are untouched.
      #expect(c[(i * ldc + n)..<(i * ldc + ldc)].allSatisfy { $0.isNaN })
    }
  }
}

@Test func packedProductDoesNotDependOnHowColumnsAreSplit() {
  let (m, n, k) = (13, 70, 600)
  let a = values(m * k, seed: 1)
  let b = values(k * n, seed: 2)
  let packed = a.withUnsafeBufferPointer {
    PackedMatrix(packing: $0.baseAddress!, leadingDimension: k, rows: m, depth: k)
  }
  let workspace = GEMMWorkspace(count: packed.workspaceCount(columns: n))
  var whole = [Float](repeating: 0, count: m * n)
  var split = whole
  b.withUnsafeBufferPointer { b in
    whole.withUnsafeMutableBufferPointer {
      packed.multiply(
        b.baseAddress!, ldb: n, columns: n, into: $0.baseAddress!, ldc: n, bias: nil,
        residual: nil, activation: nil, workspace: workspace.floats)
    }
    split.withUnsafeMutableBufferPointer { c in
      for (start, count) in [(0, 19), (19, 51)] {
        packed.multiply(
          b.baseAddress! + start, ldb: n, columns: count, into: c.baseAddress! + start, ldc: n,
          bias: nil, residual: nil, activation: nil, workspace: workspace.floats)
      }
    }
  }
  #expect(whole == split)
}
