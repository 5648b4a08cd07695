import GraftIR

extension Gemm: CPUExecutable {
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    try Float32Bridge.kernel(context, op: "Gemm") { try GemmKernel(self, $0) }
  }
}

/// Gemm compiled for fixed shapes (float32): `Y [M, N] = alpha·A'·B' + beta·C`.
///
/// Y is first filled with `beta·C` broadcast to `[M, N]` (or left for sgemm to overwrite when
/// there is no C or beta is 0), then the product is added in fixed row blocks through
/// `MatrixProducts`. A transposed A is copied to `[M, K]` first so its rows can be split.
struct GemmKernel: CPUKernel {
  let products: MatrixProducts
  let alpha: Float
  let beta: Float
  let transposeA: Bool
  /// C's broadcast strides over Y's rows and columns (0 along broadcast axes), when C is added.
  let bias: (rowStride: Int, columnStride: Int)?

  init(_ op: Gemm, _ context: KernelContext) throws {
    let a = try context.shape(0)
    let b = try context.shape(1)
    let (m, k) = op.transA ? (a[1], a[0]) : (a[0], a[1])
    let n = op.transB ? b[0] : b[1]
    products = MatrixProducts(
      m: m, n: n, k: k, transposeB: op.transB, aOffsets: [0], bOffsets: [0])
    alpha = op.alpha
    beta = op.beta
    transposeA = op.transA
    if op.beta != 0, context.inputShapes.count > 2, let c = context.inputShapes[2] {
      let matrix = Array(repeating: 1, count: 2 - c.count) + c
      bias = (matrix[0] == 1 ? 0 : matrix[1], matrix[1] == 1 ? 0 : 1)
    } else {
      bias = nil
    }
  }

  func run(inputs: [RuntimeTensor?], outputs: [RuntimeTensor], pool: ThreadPool) throws {
    let y = outputs[0]
    let (m, n, k) = (products.m, products.n, products.k)
    if let bias, let c = inputs[2] {
      for i in 0..<m {
        let row = y.floats + i * n
        let source = c.floats + i * bias.rowStride
        for j in 0..<n { row[j] = beta * source[j * bias.columnStride] }
      }
    }
    let beta: Float = bias == nil ? 0 : 1
    guard transposeA else {
      products.sgemm(a: inputs[0]!, b: inputs[1]!, c: y, alpha: alpha, beta: beta, pool: pool)
      return
    }
    let a = inputs[0]!.floats
    let transposed = UnsafeMutablePointer<Float>.allocate(capacity: max(m * k, 1))
    defer { transposed.deallocate() }
    for p in 0..<k {
      for i in 0..<m { transposed[i * k + p] = a[p * m + i] }
    }
    products.sgemm(
      a: RuntimeTensor(dtype: .float32, shape: [m, k], data: UnsafeMutableRawPointer(transposed)),
      b: inputs[1]!, c: y, alpha: alpha, beta: beta, pool: pool)
  }
}
