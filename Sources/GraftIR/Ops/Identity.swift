/// Passes its input through unchanged.
///
/// Kept as an op so that imported graphs type-check as written; the identity-removal pass drops
/// it, and shape values flow through it.
public struct Identity: ConstantFoldable, ShapeValuePropagating, DataMovementOperator, Hashable {
  public static let opType = "Identity"

  public init() {}

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    [try context.type(0)]
  }

  public func fold(_ context: InferenceContext) throws -> [Tensor]? {
    guard let input = context.constant(0), TensorIndexing.canFold(input.shape) else { return nil }
    return [input]
  }

  public func shapeValues(_ context: InferenceContext) -> [[Dim]?] { [context.shapeValue(0)] }
}
