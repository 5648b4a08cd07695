/// Picks entries of a tensor along one axis by index.
///
/// With data `[d0, …, dk]` and int32/int64 indices of shape `Q`, the output has shape
/// `[d0, …, d(axis−1)] + Q + [d(axis+1), …, dk]` and `output[…, q, …] = data[…, indices[q], …]`.
/// Negative indices count from the end of the axis; indices outside `-d..<d` are errors.
/// Gathering from a shape value with constant indices stays symbolic: `Shape(x)[0]` is `N`.
public struct Gather: ConstantFoldable, ShapeValuePropagating, DataMovementOperator, Hashable {
  public static let opType = "Gather"

  /// The data axis the indices select along; negative counts from the end.
  public var axis: Int

  public init(axis: Int = 0) {
    self.axis = axis
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let data = try context.type(0)
    let indices = try context.type(1)
    try TensorIndexing.requireIndexInput(
      indices, op: "Gather", input: "indices", allowed: [.int32, .int64])
    guard let shape = data.shape else { return [ValueType(data.dtype, nil)] }
    let axis = try TensorIndexing.axis(self.axis, rank: shape.count, op: "Gather")
    if let size = shape[axis].value, let values = knownIndices(context) {
      _ = try normalised(values, size: size, axis: axis)
    }
    guard let indexShape = indices.shape else { return [ValueType(data.dtype, nil)] }
    return [ValueType(data.dtype, Array(shape[..<axis]) + indexShape + shape[(axis + 1)...])]
  }

  /// The index values when known: a constant, or a shape value such as a `Constant` node's output
  /// before folding has made it a constant.
  private func knownIndices(_ context: InferenceContext) -> [Int64]? {
    context.constant(1)?.integers() ?? context.knownIntegers(1)?.map(Int64.init)
  }

  /// The indices made non-negative, checked against an axis of `size`.
  private func normalised(_ indices: [Int64], size: Int, axis: Int) throws -> [Int] {
    try indices.map { index in
      try require(
        index >= -Int64(size) && index < Int64(size),
        "Gather: index \(index) is out of range for axis \(axis) of size \(size)")
      return index < 0 ? Int(index) + size : Int(index)
    }
  }

  public func fold(_ context: InferenceContext) throws -> [Tensor]? {
    guard let data = context.constant(0), let indices = context.constant(1),
      let values = indices.integers(),
      let shape = try inferTypes(context)[0].shape?.fixedSizes,
      TensorIndexing.canFold(shape)
    else { return nil }
    let axis = self.axis < 0 ? self.axis + data.shape.count : self.axis
    let outer = data.shape[..<axis].reduce(1, *)
    let inner = data.shape[(axis + 1)...].reduce(1, *)
    let size = data.shape[axis]
    let picked = try normalised(values, size: size, axis: axis)
    let gathered = TensorIndexing.select(
      data.reshaped([outer, size, inner]),
      indices: [Array(0..<outer), picked, Array(0..<inner)])
    return [gathered.reshaped(shape)]
  }

  public func shapeValues(_ context: InferenceContext) -> [[Dim]?] {
    guard let values = context.shapeValue(0), context.inputTypes[0]?.rank ?? 1 == 1,
      axis == 0 || axis == -1,
      let indexRank = context.inputTypes[1]?.rank, indexRank <= 1,
      let raw = knownIndices(context),
      let positions = try? normalised(raw, size: values.count, axis: 0)
    else { return [nil] }
    return [positions.map { values[$0] }]
  }
}
