import GraftIR

extension Concat: ONNXImportable {
  /// `axis` is required from opset 4 on, negative from opset 11.
  public static func fromONNX(_ node: inout ONNXNode) throws -> Concat {
    guard let axis = try node.int("axis") else {
      throw GraphError.invalidOperator("Concat: attribute 'axis' is required")
    }
    return Concat(axis: axis)
  }
}

extension Concat: ONNXExportable {
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    [context.onnxNode(["axis": .int(axis)])]
  }
}
