import GraftIR

extension Selu: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> Selu {
    Selu(
      alpha: try node.float("alpha", default: 1.67326319217681884765625),
      gamma: try node.float("gamma", default: 1.05070102214813232421875))
  }
}

extension Selu: ONNXExportable {
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    [
      context.onnxNode(attributes: [
        "alpha": .float(alpha, default: 1.67326319217681884765625),
        "gamma": .float(gamma, default: 1.05070102214813232421875),
      ])
    ]
  }
}
