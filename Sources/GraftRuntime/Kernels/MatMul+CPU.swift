import GraftIR

extension MatMul: CPUExecutable {
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let products = try MatrixProducts(
      broadcasting: try context.shape(0), try context.shape(1))
    switch context.outputTypes[0] {
    case .float64: return products.naiveKernel(Double.self)
    case .int64: return products.naiveKernel(Int64.self)
    case .int32: return products.naiveKernel(Int32.self)
    default:
      return try Float32Bridge.kernel(context, op: "MatMul", bridged: [.float16]) { _ in
        ClosureKernel { inputs, outputs, pool in
          products.sgemm(a: inputs[0]!, b: inputs[1]!, c: outputs[0], pool: pool)
        }
      }
    }
  }
}

/// A batch of equally sized row-major matrix products `C_b [M, N] = A_b [M, K] · B_b [K, N]`
/// (B_b is `[N, K]` with `transposeB`), the operands found at per-batch element offsets and C
/// dense `[batch, M, N]`.
///
/// Work is split into items of one batch element and a block of `blockRows` rows; the split
/// depends only on the shapes, so each output element comes from the same arithmetic for any
/// thread count.
struct MatrixProducts: Sendable {
  let m: Int
  let n: Int
  let k: Int
  let transposeB: Bool
  let aOffsets: [Int]
  let bOffsets: [Int]

  static let blockRows = 64

  init(m: Int, n: Int, k: Int, transposeB: Bool = false, aOffsets: [Int], bOffsets: [Int]) {
    self.m = m
    self.n = n
    self.k = k
    self.transposeB = transposeB
    self.aOffsets = aOffsets
    self.bOffsets = bOffsets
  }

  /// The products of NumPy `matmul` for operands of shapes `a` and `b`: 1-D operands promoted,
  /// batch dims broadcast. When B has no batch (the common `[…, M, K] × [K, N]`) A's batch folds
  /// into M: one product with more rows.
  init(broadcasting a: [Int], _ b: [Int]) throws {
    let left = a.count == 1 ? [1] + a : a
    let right = b.count == 1 ? b + [1] : b
    let leftBatch = Array(left.dropLast(2))
    let rightBatch = Array(right.dropLast(2))
    let m = left[left.count - 2]
    let k = left[left.count - 1]
    let n = right[right.count - 1]
    if rightBatch.allSatisfy({ $0 == 1 }) {
      self.init(m: leftBatch.reduce(1, *) * m, n: n, k: k, aOffsets: [0], bOffsets: [0])
      return
    }
    let rank = max(leftBatch.count, rightBatch.count)
    let leftDims = Array(repeating: 1, count: rank - leftBatch.count) + leftBatch
    let rightDims = Array(repeating: 1, count: rank - rightBatch.count) + rightBatch
    var batch: [Int] = []
    for (l, r) in zip(leftDims, rightDims) {
      guard l == r || l == 1 || r == 1 else {
        throw GraphError.invalidOperator("MatMul batch dims \(leftBatch) and \(rightBatch) differ")
      }
      batch.append(max(l, r))
    }
    func offsets(_ dims: [Int], matrix: Int) -> [Int] {
      var strides = Array(repeating: 0, count: rank)
      var step = matrix
      for axis in stride(from: rank - 1, through: 0, by: -1) {
        strides[axis] = dims[axis] == 1 ? 0 : step
        step *= dims[axis]
      }
      return MultiIndex(batch).map { index in zip(index, strides).reduce(0) { $0 + $1.0 * $1.1 } }
    }
    self.init(
      m: m, n: n, k: k, aOffsets: offsets(leftDims, matrix: m * k),
      bOffsets: offsets(rightDims, matrix: k * n))
  }

  private var blocks: Int { (m + Self.blockRows - 1) / Self.blockRows }

  /// The batch element and rows of work item `item`.
  private func work(_ item: Int) -> (batch: Int, rows: Range<Int>) {
    let block = item % blocks
    return (item / blocks, (block * Self.blockRows)..<min(m, (block + 1) * Self.blockRows))
  }

  /// `C = alpha·A·B + beta·C` in float32 through BLAS.
  func sgemm(
    a: RuntimeTensor, b: RuntimeTensor, c: RuntimeTensor, alpha: Float = 1, beta: Float = 0,
    pool: ThreadPool
  ) {
    pool.parallelFor(aOffsets.count * blocks) { items in
      for item in items {
        let (batch, rows) = work(item)
        BLAS.sgemm(
          m: rows.count, n: n, k: k, alpha: alpha,
          a: a.floats + aOffsets[batch] + rows.lowerBound * k,
          b: b.floats + bOffsets[batch], transposeB: transposeB, beta: beta,
          c: c.floats + (batch * m + rows.lowerBound) * n)
      }
    }
  }

  /// A kernel computing the products with plain loops in `T` (float64 and integer products,
  /// for which there is no BLAS routine), summing over K in order. B must not be transposed.
  func naiveKernel<T: Numeric & TensorElement>(_: T.Type) -> any CPUKernel {
    precondition(!transposeB, "the plain-loop product reads B as [K, N]")
    return ClosureKernel { inputs, outputs, pool in
      let a = inputs[0]!
      let b = inputs[1]!
      let c = outputs[0]
      pool.parallelFor(aOffsets.count * blocks) { items in
        let a = a.data.assumingMemoryBound(to: T.self)
        let b = b.data.assumingMemoryBound(to: T.self)
        let c = c.data.assumingMemoryBound(to: T.self)
        for item in items {
          let (batch, rows) = work(item)
          for i in rows {
            let left = a + aOffsets[batch] + i * k
            let target = c + (batch * m + i) * n
            for j in 0..<n { target[j] = 0 }
            for p in 0..<k {
              let value = left[p]
              let right = b + bOffsets[batch] + p * n
              for j in 0..<n { target[j] += value * right[j] }
            }
          }
        }
      }
    }
  }
}
