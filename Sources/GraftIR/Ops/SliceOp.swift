/// Takes a strided sub-tensor along some axes.
///
/// Inputs: `data`, then 1-D int32/int64 `starts`, `ends`, optional `axes` (default
/// `0..<starts.count`, negative counts from the end) and optional `steps` (default 1, never 0).
/// Per axis of size `d`, a negative start or end has `d` added, then for a positive step start
/// and end are clamped to `[0, d]`, for a negative step start to `[0, d−1]` and end to `[−1, d−1]`;
/// the axis keeps `max(0, ⌈(end − start) / step⌉)` elements `start, start + step, …`. Ends such as
/// `INT_MAX` therefore mean "to the end".
///
/// Named `SliceOp` because a `Slice` type would shadow the standard library's `Slice` in every
/// module that imports GraftIR.
public struct SliceOp: ConstantFoldable, ShapeValuePropagating, DataMovementOperator,
  Hashable
{
  public static let opType = "Slice"

  public init() {}

  /// One sliced axis with its parameters as given (not yet clamped).
  struct AxisSlice: Equatable {
    var axis: Int
    var start: Int
    var end: Int
    var step: Int

    /// The first position and the number of positions taken from an axis of `size`.
    func range(size: Int) -> (first: Int, count: Int) {
      var first = start < 0 ? start + size : start
      var last = end < 0 ? end + size : end
      // Counted as (distance − 1) / |step| + 1 so that steps near ±Int.max cannot overflow.
      if step > 0 {
        first = min(max(first, 0), size)
        last = min(max(last, 0), size)
        return (first, last > first ? Int(UInt(last - first - 1) / step.magnitude) + 1 : 0)
      }
      first = min(max(first, 0), size - 1)
      last = min(max(last, -1), size - 1)
      return (first, first > last ? Int(UInt(first - last - 1) / step.magnitude) + 1 : 0)
    }

    /// The positions taken from an axis of `size`.
    func positions(size: Int) -> [Int] {
      let (first, count) = range(size: size)
      return (0..<count).map { first + $0 * step }
    }

    /// The sliced dim: a count when `dim` is fixed, `dim` itself when the slice takes a whole
    /// axis of any size (`0:INT_MAX:1` or `-1:INT_MIN:-1`), unknown otherwise.
    func apply(to dim: Dim) -> Dim {
      if let size = dim.value { return .fixed(range(size: size).count) }
      let wholeAxis: Bool
      switch step {
      case 1: wholeAxis = (start == 0 || start <= -Int(Int32.max)) && end >= Int(Int32.max)
      case -1: wholeAxis = (start == -1 || start >= Int(Int32.max)) && end <= Int(Int32.min)
      default: wholeAxis = false
      }
      return wholeAxis ? dim : .unknown
    }
  }

  /// The sliced axes for data of `rank`, checked, or nil when starts, ends, axes or steps are
  /// not known.
  func axisSlices(_ context: InferenceContext, rank: Int) throws -> [AxisSlice]? {
    let names = ["starts", "ends", "axes", "steps"]
    for (offset, name) in names.enumerated() where offset < 2 || context.hasInput(offset + 1) {
      try TensorIndexing.requireIndexInput(
        try context.type(offset + 1), op: "Slice", input: name, allowed: [.int32, .int64],
        rank: 1)
    }
    guard let starts = context.knownIntegers(1), let ends = context.knownIntegers(2) else {
      return nil
    }
    var axes = Array(0..<starts.count)
    if context.hasInput(3) {
      guard let known = context.knownIntegers(3) else { return nil }
      axes = known
    }
    var steps = Array(repeating: 1, count: starts.count)
    if context.hasInput(4) {
      guard let known = context.knownIntegers(4) else { return nil }
      steps = known
    }
    try require(
      ends.count == starts.count && axes.count == starts.count && steps.count == starts.count,
      "Slice: starts, ends, axes and steps must have the same length, got \(starts.count), "
        + "\(ends.count), \(axes.count) and \(steps.count)")
    var seen = Set<Int>()
    return try starts.indices.map { index in
      let axis = try TensorIndexing.axis(axes[index], rank: rank, op: "Slice")
      try require(seen.insert(axis).inserted, "Slice: axis \(axes[index]) is listed twice")
      try require(steps[index] != 0, "Slice: steps[\(index)] is 0")
      return AxisSlice(axis: axis, start: starts[index], end: ends[index], step: steps[index])
    }
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let data = try context.type(0)
    guard let shape = data.shape else { return [ValueType(data.dtype, nil)] }
    guard let slices = try axisSlices(context, rank: shape.count) else {
      return [ValueType(data.dtype, Array(repeating: .unknown, count: shape.count))]
    }
    var output = shape
    for slice in slices { output[slice.axis] = slice.apply(to: shape[slice.axis]) }
    return [ValueType(data.dtype, output)]
  }

  public func fold(_ context: InferenceContext) throws -> [Tensor]? {
    guard let data = context.constant(0),
      let slices = try axisSlices(context, rank: data.shape.count)
    else { return nil }
    var indices = data.shape.map { Array(0..<$0) }
    for slice in slices { indices[slice.axis] = slice.positions(size: data.shape[slice.axis]) }
    guard TensorIndexing.canFold(indices.map(\.count)) else { return nil }
    return [TensorIndexing.select(data, indices: indices)]
  }

  public func shapeValues(_ context: InferenceContext) -> [[Dim]?] {
    guard let values = context.shapeValue(0), context.inputTypes[0]?.rank ?? 1 == 1,
      let slices = try? axisSlices(context, rank: 1), slices.count == 1
    else { return [nil] }
    return [slices[0].positions(size: values.count).map { values[$0] }]
  }
}
