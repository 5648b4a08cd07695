/// Repeats a tensor along each axis.
///
/// The 1-D int64 input `repeats` has one non-negative count per input axis; output dim `a` is
/// `d_a · repeats[a]` and `output[i0, …, ik] = input[i0 mod d0, …, ik mod dk]`.
public struct Tile: ConstantFoldable, DataMovementOperator, Hashable {
  public static let opType = "Tile"

  public init() {}

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let input = try context.type(0)
    let repeatsType = try context.type(1)
    try TensorIndexing.requireIndexInput(repeatsType, op: "Tile", input: "repeats", rank: 1)
    guard let shape = input.shape else { return [ValueType(input.dtype, nil)] }
    if let length = repeatsType.shape?.first?.value {
      try require(
        length == shape.count,
        "Tile: 'repeats' has \(length) entries for an input of rank \(shape.count)")
    }
    guard let repeats = context.knownIntegers(1) else {
      return [ValueType(input.dtype, Array(repeating: .unknown, count: shape.count))]
    }
    try require(
      repeats.count == shape.count,
      "Tile: 'repeats' \(repeats) has \(repeats.count) entries for an input of rank \(shape.count)")
    try require(repeats.allSatisfy { $0 >= 0 }, "Tile: negative count in 'repeats' \(repeats)")
    let output = zip(shape, repeats).map { dim, count -> Dim in
      if let size = dim.value {
        return ShapeRules.checkedProduct([size, count]).map(Dim.fixed) ?? .unknown
      }
      if count == 0 { return .fixed(0) }
      return count == 1 ? dim : .unknown
    }
    return [ValueType(input.dtype, output)]
  }

  public func fold(_ context: InferenceContext) throws -> [Tensor]? {
    guard let input = context.constant(0),
      let shape = try inferTypes(context)[0].shape?.fixedSizes,
      TensorIndexing.canFold(shape), let repeats = context.knownIntegers(1)
    else { return nil }
    let indices = zip(input.shape, repeats).map { size, count in
      (0..<count).flatMap { _ in 0..<size }
    }
    return [TensorIndexing.select(input, indices: indices)]
  }
}
