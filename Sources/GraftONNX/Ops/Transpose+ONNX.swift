import GraftIR

extension Transpose: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> Transpose {
    Transpose(perm: try node.ints("perm"))
  }
}

extension Transpose: ONNXExportable {
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    [context.onnxNode(attributes: ["perm": perm.map(ONNXAttribute.ints)])]
  }
}
