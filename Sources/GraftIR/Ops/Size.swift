/// The number of elements of a tensor, as an int64 scalar.
///
/// Folds to a constant whenever every dim of the input is fixed, constant input or not.
public struct Size: ConstantFoldable, DataMovementOperator, Hashable {
  public static let opType = "Size"

  public init() {}

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    _ = try context.type(0)
    return [ValueType(.int64, [])]
  }

  public func fold(_ context: InferenceContext) throws -> [Tensor]? {
    guard let sizes = try context.type(0).shape?.fixedSizes,
      let count = ShapeRules.checkedProduct(sizes)
    else { return nil }
    return [Tensor(scalar: Int64(count))]
  }
}
