/// Removes dims of size 1.
///
/// The optional 1-D int64 input `axes` lists the axes to remove (negative counts from the end;
/// each must have size 1); without it every dim of size 1 goes, which needs every dim known. The
/// elements keep their order. Squeezing a 1-element shape value gives a 0-D one.
public struct Squeeze: ReshapingOperator, Hashable {
  public static let opType = "Squeeze"

  public init() {}

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let data = try context.type(0)
    var axes: [Int]?
    if context.hasInput(1) {
      try TensorIndexing.requireIndexInput(
        try context.type(1), op: "Squeeze", input: "axes", rank: 1)
      guard let known = context.knownIntegers(1) else { return [ValueType(data.dtype, nil)] }
      axes = known
    }
    guard let shape = data.shape else { return [ValueType(data.dtype, nil)] }
    guard let axes else {
      guard shape.fixedSizes != nil else { return [ValueType(data.dtype, nil)] }
      return [ValueType(data.dtype, shape.filter { $0 != .fixed(1) })]
    }
    var removed = Set<Int>()
    for axis in axes {
      let normalised = try TensorIndexing.axis(axis, rank: shape.count, op: "Squeeze")
      try require(removed.insert(normalised).inserted, "Squeeze: axis \(axis) is listed twice")
      if let size = shape[normalised].value {
        try require(
          size == 1,
          "Squeeze: axis \(axis) of \(shape.shapeDescription) has size \(size), not 1")
      }
    }
    let output = shape.indices.filter { !removed.contains($0) }.map { shape[$0] }
    return [ValueType(data.dtype, output)]
  }
}
