/// Parametric rectified linear unit: a leaky ReLU whose slope is learned, per channel or per
/// element.
///
/// `y = x` for `x ≥ 0`, `y = slope · x` otherwise. `slope` broadcasts unidirectionally to `X`
/// (right-aligned, each dim 1 or equal to X's), so for NCHW a per-channel slope has shape
/// `[C, 1, 1]`; the output has X's type.
public struct PRelu: Operator, Hashable {
  public static let opType = "PRelu"
  public static let acceptedTypes = ElementTypes.floatingPoint.union([.int32, .int64])

  public init() {}

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let x = try context.type(0)
    let slope = try context.type(1)
    try ElementTypes.require(x.dtype, in: Self.acceptedTypes, "input X")
    try ElementTypes.requireSame([x, slope], roles: ["input X", "slope"])
    if let xShape = x.shape, let slopeShape = slope.shape {
      let mismatch =
        "slope of shape \(slopeShape.shapeDescription) does not broadcast to X of shape "
        + xShape.shapeDescription
      try require(slopeShape.count <= xShape.count, mismatch)
      for (slopeDim, xDim) in zip(slopeShape.reversed(), xShape.reversed()) {
        if let s = slopeDim.value, let n = xDim.value { try require(s == 1 || s == n, mismatch) }
      }
    }
    return [x]
  }
}
