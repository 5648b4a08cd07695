import GraftIR

extension LeakyRelu: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> LeakyRelu {
    LeakyRelu(alpha: try node.float("alpha", default: 0.01))
  }
}

extension LeakyRelu: ONNXExportable {
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    [context.onnxNode(attributes: ["alpha": .float(alpha, default: 0.01)])]
  }
}
