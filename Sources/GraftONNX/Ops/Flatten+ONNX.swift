import GraftIR

extension Flatten: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> Flatten {
    Flatten(axis: try node.int("axis", default: 1))
  }
}

extension Flatten: ONNXExportable {
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    [context.onnxNode(attributes: ["axis": .int(axis, default: 1)])]
  }
}
