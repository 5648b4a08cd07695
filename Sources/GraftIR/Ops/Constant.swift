/// A node that produces a fixed tensor.
///
/// ONNX's scalar and list spellings (`value_float`, `value_ints`, …) are normalised into `value`
/// on import. It always folds, whatever its size, since its value is already in the model; small
/// integer values also feed shape propagation before folding runs.
public struct Constant: ConstantFoldable, ShapeValuePropagating, DataMovementOperator {
  public static let opType = "Constant"

  /// The tensor produced.
  public var value: Tensor

  public init(value: Tensor) {
    self.value = value
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    try require(
      context.inputTypes.isEmpty, "Constant: takes no inputs, got \(context.inputTypes.count)")
    return [value.valueType]
  }

  public func fold(_ context: InferenceContext) throws -> [Tensor]? { [value] }

  public func shapeValues(_ context: InferenceContext) -> [[Dim]?] {
    guard value.shape.count <= 1, let values = value.integers() else { return [nil] }
    return [values.map { .fixed(Int($0)) }]
  }
}
