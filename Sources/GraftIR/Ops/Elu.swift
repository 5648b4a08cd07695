/// Exponential linear unit.
///
/// `y = x` for `x ≥ 0`, `y = alpha · (eˣ − 1)` otherwise.
public struct Elu: UnaryElementwiseOperator, Hashable {
  public static let opType = "Elu"
  public static let acceptedTypes = ElementTypes.floatingPoint
  /// Scale of the negative branch, which saturates at `−alpha`.
  public var alpha: Float

  public init(alpha: Float = 1) { self.alpha = alpha }
}
