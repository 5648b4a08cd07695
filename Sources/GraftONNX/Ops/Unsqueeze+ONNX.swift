import GraftIR

extension Unsqueeze: ONNXImportable {
  /// Before opset 13 `axes` was a required attribute; it becomes the constant int64 input 1.
  public static func fromONNX(_ node: inout ONNXNode) throws -> Unsqueeze {
    try node.moveAxesToInput(opType: opType, required: true)
    return Unsqueeze()
  }
}

extension Unsqueeze: ONNXExportable {
  /// axes is an input at every opset written (since 13).
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    [context.onnxNode()]
  }
}
