import GraftIR

extension Squeeze: ONNXImportable {
  /// Before opset 13 `axes` was an optional attribute; it becomes the constant int64 input 1.
  public static func fromONNX(_ node: inout ONNXNode) throws -> Squeeze {
    try node.moveAxesToInput(opType: opType, required: false)
    node.trimOmittedInputs()
    return Squeeze()
  }
}

extension Squeeze: ONNXExportable {
  /// axes is an input at every opset written (since 13).
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    [context.onnxNode()]
  }
}
