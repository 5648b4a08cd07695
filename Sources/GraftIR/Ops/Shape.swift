/// The dims of a tensor as a 1-D int64 tensor.
///
/// `start` and `end` select dims `start..<end` (negative counts from the end, both clamped to
/// `0...rank`; `end` nil means `rank`). The result folds to a constant when the selected dims are
/// fixed, even when the input is not constant; otherwise its contents are propagated as dims, so
/// that `Shape(x)` of `x: [N, 512]` is known to hold `[N, 512]`.
public struct Shape: ConstantFoldable, ShapeValuePropagating, DataMovementOperator, Hashable {
  public static let opType = "Shape"

  /// The first dim taken.
  public var start: Int
  /// One past the last dim taken; nil for all remaining.
  public var end: Int?

  public init(start: Int = 0, end: Int? = nil) {
    self.start = start
    self.end = end
  }

  /// The selected dims of a tensor of `rank`.
  func selection(rank: Int) -> Range<Int> {
    func clamp(_ position: Int) -> Int {
      min(max(position < 0 ? position + rank : position, 0), rank)
    }
    let first = clamp(start)
    return first..<max(first, clamp(end ?? rank))
  }

  /// The selected dims, or nil when the input's rank is unknown.
  func dims(_ context: InferenceContext) throws -> [Dim]? {
    guard let shape = try context.type(0).shape else { return nil }
    return Array(shape[selection(rank: shape.count)])
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let count = try dims(context).map { Dim.fixed($0.count) } ?? .unknown
    return [ValueType(.int64, [count])]
  }

  public func fold(_ context: InferenceContext) throws -> [Tensor]? {
    guard let sizes = try dims(context)?.fixedSizes else { return nil }
    return [Tensor(sizes.map(Int64.init), shape: [sizes.count])]
  }

  public func shapeValues(_ context: InferenceContext) -> [[Dim]?] {
    [try? dims(context)]
  }
}
