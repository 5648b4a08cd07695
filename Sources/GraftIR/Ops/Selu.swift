/// Scaled exponential linear unit, whose default constants make activations self-normalising.
///
/// `y = gamma · x` for `x > 0`, `y = gamma · alpha · (eˣ − 1)` otherwise.
public struct Selu: UnaryElementwiseOperator, Hashable {
  public static let opType = "Selu"
  public static let acceptedTypes = ElementTypes.floatingPoint
  /// Scale of the negative branch before `gamma`.
  public var alpha: Float
  /// Overall scale.
  public var gamma: Float

  public init(alpha: Float = 1.67326319217681884765625, gamma: Float = 1.05070102214813232421875) {
    self.alpha = alpha
    self.gamma = gamma
  }
}
