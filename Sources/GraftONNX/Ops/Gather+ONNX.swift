import GraftIR

extension Gather: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> Gather {
    Gather(axis: try node.int("axis", default: 0))
  }
}

extension Gather: ONNXExportable {
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    [context.onnxNode(attributes: ["axis": .int(axis, default: 0)])]
  }
}
