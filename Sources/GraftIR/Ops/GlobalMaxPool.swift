/// The maximum over all spatial cells of each channel: `Y[n, c, 1, …] = max_d X[n, c, d]`.
///
/// Layout and inference as for every `GlobalPoolingOperator`.
public struct GlobalMaxPool: GlobalPoolingOperator, Hashable {
  public static let opType = "GlobalMaxPool"

  public init() {}
}
