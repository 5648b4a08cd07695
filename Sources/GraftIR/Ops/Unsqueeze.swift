/// Inserts dims of size 1.
///
/// The 1-D int64 input `axes` (a scalar is read as one axis, as onnxruntime does) gives the
/// positions of the new dims in the output, whose rank is `rank + axes.count`; negative axes count
/// from the end of the output. Unsqueezing a 0-D shape value gives a 1-D one, ready to be
/// concatenated into a reshape target.
public struct Unsqueeze: ReshapingOperator, Hashable {
  public static let opType = "Unsqueeze"

  public init() {}

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let data = try context.type(0)
    let axesType = try context.type(1)
    try TensorIndexing.requireIndexInput(axesType, op: "Unsqueeze", input: "axes")
    try require(
      (axesType.rank ?? 0) <= 1,
      "Unsqueeze: input 'axes' must have rank 1, got \(axesType.rank ?? 0)")
    guard let shape = data.shape, let axes = context.knownIntegers(1) else {
      return [ValueType(data.dtype, nil)]
    }
    let rank = shape.count + axes.count
    var inserted = Set<Int>()
    for axis in axes {
      let normalised = try TensorIndexing.axis(axis, rank: rank, op: "Unsqueeze")
      try require(inserted.insert(normalised).inserted, "Unsqueeze: axis \(axis) is listed twice")
    }
    var remaining = shape.makeIterator()
    let output = (0..<rank).map { inserted.contains($0) ? .fixed(1) : remaining.next()! }
    return [ValueType(data.dtype, output)]
  }
}
