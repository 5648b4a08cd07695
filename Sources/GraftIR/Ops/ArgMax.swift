/// Index of the largest element along one axis, as int64 (the predicted class of a head).
///
/// Output shape: the input's with `axis` set to 1 (`keepdims`) or removed. Ties resolve to the
/// first index, or to the last with `selectLastIndex`. FLOPs count one comparison per input
/// element.
public struct ArgMax: Operator, Hashable {
  public static let opType = "ArgMax"
  /// The axis searched; negative counts from the end.
  public var axis: Int
  /// Keep the searched axis as a dim of size 1.
  public var keepdims: Bool
  /// Among equal maxima, return the last index instead of the first.
  public var selectLastIndex: Bool

  public init(axis: Int = 0, keepdims: Bool = true, selectLastIndex: Bool = false) {
    self.axis = axis
    self.keepdims = keepdims
    self.selectLastIndex = selectLastIndex
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let data = try context.type(0)
    try ElementTypes.require(data.dtype, in: ElementTypes.numeric, "input data")
    guard var shape = data.shape else { return [ValueType(.int64, nil)] }
    let index = try ShapeRules.axis(axis, rank: shape.count)
    if keepdims { shape[index] = 1 } else { shape.remove(at: index) }
    return [ValueType(.int64, shape)]
  }

  public func flops(_ context: InferenceContext, outputs: [ValueType]) -> Int? {
    ShapeRules.elementCount(context.inputTypes.first??.shape)
  }
}
