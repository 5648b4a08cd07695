import GraftIR

extension Clip: ONNXImportable {
  /// Clip before opset 11 held its bounds as float attributes defaulting to ∓FLT_MAX; they become
  /// float32 constant inputs, and the defaults no input at all (no bound).
  public static func fromONNX(_ node: inout ONNXNode) throws -> Clip {
    let min = try node.float("min")
    let max = try node.float("max")
    if node.opset >= 11 {
      try require(
        min == nil && max == nil,
        "Clip takes min and max as inputs since opset 11, not as attributes")
      return Clip()
    }
    try require(
      !node.hasInput(1) && !node.hasInput(2),
      "Clip before opset 11 takes min and max as attributes, not as inputs")
    if let min, min != -.greatestFiniteMagnitude {
      node.setConstantInput(1, Tensor(scalar: min), role: "min")
    }
    if let max, max != .greatestFiniteMagnitude {
      node.setConstantInput(2, Tensor(scalar: max), role: "max")
    }
    node.trimOmittedInputs()
    return Clip()
  }
}

extension Clip: ONNXExportable {
  /// min and max are inputs at every opset written (since 11).
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    [context.onnxNode()]
  }
}
