/// Global poolings: one value per channel, reducing every spatial axis to size 1.
///
/// Layout: X `[N, C, D1, …, Dk]` → Y `[N, C, 1, …, 1]`.
public protocol GlobalPoolingOperator: Operator {}

extension GlobalPoolingOperator {
  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let dtype = try context.commonElementType([0], names: ["X"])
    guard let x = try context.channelsFirstShape(0, name: "X") else {
      return [ValueType(dtype, nil)]
    }
    return [ValueType(dtype, Array(x[..<2]) + Array(repeating: .fixed(1), count: x.count - 2))]
  }

  /// One operation per input element.
  public func flops(_ context: InferenceContext, outputs: [ValueType]) -> Int? {
    ShapeRules.elementCount((try? context.type(0))?.shape)
  }
}

/// The mean over all spatial cells of each channel: `Y[n, c, 1, …] = mean_d X[n, c, d]`.
public struct GlobalAveragePool: GlobalPoolingOperator, Hashable {
  public static let opType = "GlobalAveragePool"

  public init() {}
}
