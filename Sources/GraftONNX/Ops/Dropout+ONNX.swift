import GraftIR

extension Dropout: ONNXImportable {
  /// Before opset 12 `ratio` was an attribute; it becomes the constant float32 input 1. Opset 6's
  /// `is_test` is accepted and ignored, since Graft always runs the inference behaviour.
  public static func fromONNX(_ node: inout ONNXNode) throws -> Dropout {
    if node.opset < 12, let ratio = try node.float("ratio") {
      try require(ratio >= 0 && ratio < 1, "Dropout: ratio \(ratio) is outside [0, 1)")
      node.setConstantInput(1, Tensor(scalar: ratio), role: "ratio")
    }
    node.trimOmittedInputs()
    return Dropout(seed: try node.int("seed"))
  }
}

extension Dropout: ONNXExportable {
  /// ratio and training_mode are inputs at every opset written (since 12).
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    [context.onnxNode(attributes: ["seed": seed.map(ONNXAttribute.int)])]
  }
}
