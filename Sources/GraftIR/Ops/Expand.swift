/// Broadcasts a tensor to a shape.
///
/// The 1-D int64 input `shape` and the input's shape broadcast both ways (NumPy rules,
/// right-aligned): a 1 in either yields the other's dim, so the output may be larger than `shape`
/// says, and a target of 1 keeps a symbolic input dim. The output repeats the input's elements.
public struct Expand: ConstantFoldable, DataMovementOperator, Hashable {
  public static let opType = "Expand"

  public init() {}

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let input = try context.type(0)
    let shapeType = try context.type(1)
    try TensorIndexing.requireIndexInput(shapeType, op: "Expand", input: "shape", rank: 1)
    guard let target = context.shapeValue(1) else {
      guard let rank = input.rank, let length = shapeType.shape?.first?.value else {
        return [ValueType(input.dtype, nil)]
      }
      return [ValueType(input.dtype, Array(repeating: .unknown, count: max(rank, length)))]
    }
    for dim in target {
      if let size = dim.value {
        try require(
          size >= 0, "Expand: negative dim \(size) in the shape \(target.shapeDescription)")
      }
    }
    guard let shape = input.shape else { return [ValueType(input.dtype, nil)] }
    do {
      return [ValueType(input.dtype, try ShapeRules.broadcast([shape, target]))]
    } catch GraphError.invalidOperator(let message) {
      throw GraphError.invalidOperator(
        "Expand: cannot expand \(shape.shapeDescription) to \(target.shapeDescription): \(message)")
    }
  }

  public func fold(_ context: InferenceContext) throws -> [Tensor]? {
    guard let input = context.constant(0),
      let shape = try inferTypes(context)[0].shape?.fixedSizes,
      TensorIndexing.canFold(shape)
    else { return nil }
    return [TensorIndexing.broadcast(input, to: shape)]
  }
}
