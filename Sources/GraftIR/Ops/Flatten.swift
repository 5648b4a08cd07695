/// Flattens a tensor into a matrix.
///
/// `[d0, …, dk]` becomes `[d0·…·d(axis−1), d(axis)·…·dk]` with the elements in the same order;
/// `axis` is in `-rank...rank` (negative counts from the end) and `axis = 0` gives `[1, total]`.
/// A product that is one symbol times 1s stays that symbol, so `[N, 512, 1, 1]` gives `[N, 512]`.
public struct Flatten: ReshapingOperator, Hashable {
  public static let opType = "Flatten"

  /// The first axis of the second output dim.
  public var axis: Int

  public init(axis: Int = 1) {
    self.axis = axis
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let input = try context.type(0)
    guard let shape = input.shape else { return [ValueType(input.dtype, [.unknown, .unknown])] }
    // Negative axes count from the end of the input (`-rank` is 0), not of an output of rank + 1
    // as `ShapeRules.axis(_:rank:inclusiveEnd:)` counts them.
    let axis = self.axis < 0 ? self.axis + shape.count : self.axis
    try require(
      (0...shape.count).contains(axis),
      "Flatten: axis \(self.axis) is out of range for rank \(shape.count)")
    let output = [TensorIndexing.product(shape[..<axis]), TensorIndexing.product(shape[axis...])]
    return [ValueType(input.dtype, output)]
  }
}
