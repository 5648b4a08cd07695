import GraftIR

extension LRN: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> LRN {
    guard let size = try node.int("size") else {
      throw GraphError.invalidOperator("LRN needs the size attribute")
    }
    try require(size >= 1, "size should be at least 1, got \(size)")
    return LRN(
      size: size,
      alpha: try node.float("alpha", default: 0.0001),
      beta: try node.float("beta", default: 0.75),
      bias: try node.float("bias", default: 1.0))
  }
}

extension LRN: ONNXExportable {
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    [
      context.onnxNode(attributes: [
        "size": .int(size), "alpha": .float(alpha, default: 0.0001),
        "beta": .float(beta, default: 0.75), "bias": .float(bias, default: 1),
      ])
    ]
  }
}
