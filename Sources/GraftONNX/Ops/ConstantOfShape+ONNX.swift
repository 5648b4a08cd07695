import GraftIR

extension ConstantOfShape: ONNXImportable {
  /// `value` is optional: float32 0 when absent.
  public static func fromONNX(_ node: inout ONNXNode) throws -> ConstantOfShape {
    guard let value = try node.tensor("value") else { return ConstantOfShape() }
    try require(
      value.count == 1,
      "ConstantOfShape: 'value' must hold one element, got shape \(value.dims.shapeDescription)")
    return ConstantOfShape(value: value)
  }
}

extension ConstantOfShape: ONNXExportable {
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    [context.onnxNode(["value": .tensor(value)])]
  }
}
