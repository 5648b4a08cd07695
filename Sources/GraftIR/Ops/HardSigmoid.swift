/// Piecewise-linear approximation of the sigmoid.
///
/// `y = max(0, min(1, alpha · x + beta))`.
public struct HardSigmoid: UnaryElementwiseOperator, Hashable {
  public static let opType = "HardSigmoid"
  public static let acceptedTypes = ElementTypes.floatingPoint
  /// Slope of the linear part.
  public var alpha: Float
  /// Offset of the linear part; the output is `beta` at `x = 0`.
  public var beta: Float

  public init(alpha: Float = 0.2, beta: Float = 0.5) {
    self.alpha = alpha
    self.beta = beta
  }
}
