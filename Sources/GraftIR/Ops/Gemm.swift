/// General matrix multiply: `Y = alpha·A'·B' + beta·C`.
///
/// `A'` is A `[M, K]`, or the transpose of A `[K, M]` with `transA`; likewise `B'` is B `[K, N]`
/// or the transpose of B `[N, K]` with `transB`. The optional C broadcasts one way to `[M, N]`
/// (scalar, `[N]`, `[M, 1]`, `[1, N]` or `[M, N]`). Y is `[M, N]`.
public struct Gemm: Operator, Hashable {
  public static let opType = "Gemm"

  public var alpha: Float
  public var beta: Float
  public var transA: Bool
  public var transB: Bool

  public init(alpha: Float = 1, beta: Float = 1, transA: Bool = false, transB: Bool = false) {
    self.alpha = alpha
    self.beta = beta
    self.transA = transA
    self.transB = transB
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let dtype = try context.commonElementType(
      [0, 1, 2], names: ["A", "B", "C"], floatingPointOnly: false)
    let a = try matrix(context, 0, name: "A")
    let b = try matrix(context, 1, name: "B")
    let (m, ka) = a.map { transA ? ($0[1], $0[0]) : ($0[0], $0[1]) } ?? (.unknown, .unknown)
    let (kb, n) = b.map { transB ? ($0[1], $0[0]) : ($0[0], $0[1]) } ?? (.unknown, .unknown)
    if let ka = ka.value, let kb = kb.value {
      try require(
        ka == kb,
        "inner dims differ: A' is [\(m), \(ka)] and B' is [\(kb), \(n)] "
          + "(transA \(transA), transB \(transB))")
    }
    if context.hasInput(2), let c = context.inputTypes[2]?.shape {
      let broadcast = try? ShapeRules.broadcast([[m, n], c])
      let fits = broadcast.map { zip($0, [m, n]).allSatisfy { $1.value == nil || $0 == $1 } }
      try require(
        c.count <= 2 && fits == true,
        "C \(c.shapeDescription) does not broadcast to the output [\(m), \(n)]")
    }
    return [ValueType(dtype, [m, n])]
  }

  private func matrix(_ context: InferenceContext, _ index: Int, name: String) throws -> [Dim]? {
    guard let shape = try context.type(index).shape else { return nil }
    try require(shape.count == 2, "input \(name) should be a matrix, got \(shape.shapeDescription)")
    return shape
  }

  /// `2·M·N·K` for the product, plus `M·N` when C is added.
  public func flops(_ context: InferenceContext, outputs: [ValueType]) -> Int? {
    guard let y = outputs.first?.shape?.fixedSizes, let a = (try? context.type(0))?.shape,
      let k = (transA ? a[0] : a[1]).value
    else { return nil }
    let product = y[0] * y[1]
    return 2 * product * k + (context.hasInput(2) ? product : 0)
  }
}
