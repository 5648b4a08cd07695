/// Logarithm of the softmax, computed stably for log-likelihood heads.
///
/// `y = x − max − log Σ exp(x − max)` over the axes of `normalizedAxes(rank:)`; see
/// `SoftmaxFamilyOperator` for `axis` and `coerceTo2D`.
public struct LogSoftmax: SoftmaxFamilyOperator, Hashable {
  public static let opType = "LogSoftmax"
  public var axis: Int
  public var coerceTo2D: Bool

  public init(axis: Int = -1, coerceTo2D: Bool = false) {
    self.axis = axis
    self.coerceTo2D = coerceTo2D
  }
}
