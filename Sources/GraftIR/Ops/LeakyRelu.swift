/// Leaky rectified linear unit, which keeps a small gradient for negative inputs.
///
/// `y = x` for `x ≥ 0`, `y = alpha · x` otherwise.
public struct LeakyRelu: UnaryElementwiseOperator, Hashable {
  public static let opType = "LeakyRelu"
  public static let acceptedTypes = ElementTypes.floatingPoint
  /// Slope for negative inputs.
  public var alpha: Float

  public init(alpha: Float = 0.01) { self.alpha = alpha }
}
