import GraftIR

extension Elu: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> Elu {
    Elu(alpha: try node.float("alpha", default: 1))
  }
}

extension Elu: ONNXExportable {
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    [context.onnxNode(attributes: ["alpha": .float(alpha, default: 1)])]
  }
}
