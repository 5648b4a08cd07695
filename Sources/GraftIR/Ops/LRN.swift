/// Local response normalisation across channels (AlexNet).
///
/// `Y[n, c, d] = X[n, c, d] / (bias + alpha/size · Σ X[n, i, d]²)^beta`, the sum over channels
/// `i` from `c − floor((size − 1)/2)` to `c + ceil((size − 1)/2)` inside `[0, C)`. Layout: X
/// `[N, C, D1, …]`.
public struct LRN: Operator, Hashable {
  public static let opType = "LRN"

  public var alpha: Float
  public var beta: Float
  public var bias: Float
  public var size: Int

  public init(size: Int, alpha: Float = 0.0001, beta: Float = 0.75, bias: Float = 1.0) {
    self.alpha = alpha
    self.beta = beta
    self.bias = bias
    self.size = size
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    try require(size >= 1, "size should be at least 1, got \(size)")
    let dtype = try context.commonElementType([0], names: ["X"])
    return [ValueType(dtype, try context.channelsFirstShape(0, name: "X"))]
  }

  /// `size` multiply-adds for the sum of squares, plus the scaling, per element.
  public func flops(_ context: InferenceContext, outputs: [ValueType]) -> Int? {
    ShapeRules.elementCount(outputs.first?.shape).map { $0 * (2 * size + 3) }
  }
}
