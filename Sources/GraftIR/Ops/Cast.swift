/// Converts every element to another dtype.
///
/// Floating point to integer truncates toward zero (C casts; out-of-range values are undefined in
/// ONNX), anything to bool is `x ≠ 0`, bool to numbers is 0 or 1. Folds on small constants and
/// passes shape values through integer-to-integer casts, which exporters put in shape subgraphs.
public struct Cast: ConstantFoldable, ShapeValuePropagating, Hashable {
  public static let opType = "Cast"
  /// The output dtype (ONNX `to`).
  public var to: DType

  public init(to: DType) { self.to = to }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    [ValueType(to, try context.type(0).shape)]
  }

  public func fold(_ context: InferenceContext) throws -> [Tensor]? {
    guard let input = context.constant(0), input.count <= ElementwiseEvaluation.maxElements else {
      return nil
    }
    if let integers = input.integers() {
      return [ElementwiseEvaluation.tensor(integers, dtype: to, shape: input.shape)]
    }
    return [Tensor.converting(input.doubles(), to: to, shape: input.shape)]
  }

  public func shapeValues(_ context: InferenceContext) -> [[Dim]?] {
    guard to.isInteger, context.inputTypes.first??.dtype?.isInteger == true,
      let values = context.shapeValue(0)
    else { return [nil] }
    let range = Self.range(of: to)
    return [values.map { dim in dim.value.map { range.contains($0) ? dim : .unknown } ?? dim }]
  }

  /// The values an integer dtype holds; a fixed dim outside them would wrap.
  private static func range(of dtype: DType) -> ClosedRange<Int> {
    switch dtype {
    case .int8: Int(Int8.min)...Int(Int8.max)
    case .uint8: 0...Int(UInt8.max)
    case .int32: Int(Int32.min)...Int(Int32.max)
    default: Int.min...Int.max
    }
  }
}
