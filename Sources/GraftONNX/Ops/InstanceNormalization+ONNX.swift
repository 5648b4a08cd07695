import GraftIR

extension InstanceNormalization: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> InstanceNormalization {
    InstanceNormalization(epsilon: try node.float("epsilon", default: 1e-5))
  }
}

extension InstanceNormalization: ONNXExportable {
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    [context.onnxNode(attributes: ["epsilon": .float(epsilon, default: 1e-5)])]
  }
}
