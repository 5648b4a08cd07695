/// Clamps every element into `[min, max]`.
///
/// `y = min(max(x, min), max)`. Inputs: `input`, then the optional scalar bounds `min` and `max`
/// of the input's type; an omitted bound does not limit. ONNX Clip before opset 11 held the bounds
/// as float attributes; the importer turns them into these inputs.
public struct Clip: Operator, Hashable {
  public static let opType = "Clip"

  public init() {}

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let input = try context.type(0)
    try ElementTypes.require(input.dtype, in: ElementTypes.numeric, "input")
    for (index, role) in [(1, "min"), (2, "max")] where context.hasInput(index) {
      let bound = try context.type(index)
      try ElementTypes.requireSame([input, bound], roles: ["input", role])
      if let count = ShapeRules.elementCount(bound.shape) {
        try require(
          count == 1,
          "\(role) must be a scalar, got shape \(bound.shape?.shapeDescription ?? "[?]")")
      }
    }
    return [input]
  }
}
