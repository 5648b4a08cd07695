/// The arithmetic sequence `start, start + delta, …` up to (excluding) `limit`.
///
/// Inputs are three scalars of one dtype (float32, float64, int32, int64, or float16 from opset
/// 27); the output is 1-D with `max(⌈(limit − start) / delta⌉, 0)` elements,
/// `output[i] = start + i·delta`, and `delta` must not be 0. `Range(0, N, 1)` over a symbolic `N`
/// has length `N`.
///
/// Named `RangeOp` because a `Range` type would shadow the standard library's `Range` in every
/// module that imports GraftIR.
public struct RangeOp: ConstantFoldable, Hashable {
  public static let opType = "Range"

  public init() {}

  private static let names = ["start", "limit", "delta"]

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let types = try (0..<3).map { try context.type($0) }
    let dtype = try TensorIndexing.commonDType(types, op: "Range")
    if let dtype {
      try require(
        [.float32, .float64, .int32, .int64, .float16].contains(dtype),
        "Range: inputs must be float32, float64, int32, int64 or float16, got \(dtype.rawValue)")
    }
    for (type, name) in zip(types, Self.names) {
      if let rank = type.rank {
        try require(rank == 0, "Range: input '\(name)' must be a scalar, got rank \(rank)")
      }
    }
    return [ValueType(dtype, [try length(context)])]
  }

  /// The output length: fixed when the inputs are known, `N` for `Range(0, N, 1)`.
  private func length(_ context: InferenceContext) throws -> Dim {
    if let integers = integerScalars(context) {
      let (start, limit, delta) = (integers[0], integers[1], integers[2])
      try require(delta != 0, "Range: delta is 0")
      let (span, overflow) =
        delta > 0
        ? limit.subtractingReportingOverflow(start) : start.subtractingReportingOverflow(limit)
      try require(!overflow, "Range: the sequence from \(start) to \(limit) is too long")
      return .fixed(span > 0 ? Int(UInt(span - 1) / delta.magnitude) + 1 : 0)
    }
    if let values = scalars(context) {
      try require(values.delta != 0, "Range: delta is 0")
      let count = ((values.limit - values.start) / values.delta).rounded(.up)
      try require(
        !count.isNaN && count < 9e18,
        "Range: the sequence from \(values.start) to \(values.limit) by \(values.delta) "
          + "has no countable length")
      return .fixed(count > 0 ? Int(count) : 0)
    }
    if context.shapeValue(0) == [.fixed(0)], context.shapeValue(2) == [.fixed(1)],
      let limit = context.shapeValue(1), limit.count == 1
    {
      return limit[0]
    }
    return .unknown
  }

  /// The three inputs when all are known integer scalars (constants or shape values).
  private func integerScalars(_ context: InferenceContext) -> [Int]? {
    let values = (0..<3).compactMap { index in
      context.knownIntegers(index).flatMap { $0.count == 1 ? $0[0] : nil }
    }
    return values.count == 3 ? values : nil
  }

  /// The three inputs as doubles when all are constant scalars.
  private func scalars(_ context: InferenceContext)
    -> (start: Double, limit: Double, delta: Double)?
  {
    let values = (0..<3).compactMap { index -> Double? in
      guard let constant = context.constant(index), constant.count == 1 else { return nil }
      return constant.doubles()[0]
    }
    return values.count == 3 ? (values[0], values[1], values[2]) : nil
  }

  public func fold(_ context: InferenceContext) throws -> [Tensor]? {
    guard let type = try inferTypes(context).first, let dtype = type.dtype,
      let count = type.shape?.fixedSizes?.first, TensorIndexing.canFold([count])
    else { return nil }
    if dtype.isInteger, let integers = integerScalars(context) {
      let sequence = (0..<count).map { Int64(integers[0] + $0 * integers[2]) }
      return [Tensor.converting(sequence, to: dtype, shape: [count])]
    }
    guard let values = scalars(context) else { return nil }
    let sequence = (0..<count).map { values.start + Double($0) * values.delta }
    return [Tensor.converting(sequence, to: dtype, shape: [count])]
  }
}
