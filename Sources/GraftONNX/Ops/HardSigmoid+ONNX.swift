import GraftIR

extension HardSigmoid: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> HardSigmoid {
    HardSigmoid(
      alpha: try node.float("alpha", default: 0.2), beta: try node.float("beta", default: 0.5))
  }
}

extension HardSigmoid: ONNXExportable {
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    [
      context.onnxNode(attributes: [
        "alpha": .float(alpha, default: 0.2), "beta": .float(beta, default: 0.5),
      ])
    ]
  }
}
