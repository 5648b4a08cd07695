import GraftIR

/// Opset 6's `broadcast` attribute is ignored: from opset 7 on C always broadcasts, and a C that
/// opset 6 did not allow to broadcast already has the full `[M, N]` shape.
extension Gemm: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> Gemm {
    Gemm(
      alpha: try node.float("alpha", default: 1),
      beta: try node.float("beta", default: 1),
      transA: try node.flag("transA"),
      transB: try node.flag("transB"))
  }
}

extension Gemm: ONNXExportable {
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    [
      context.onnxNode(attributes: [
        "alpha": .float(alpha, default: 1), "beta": .float(beta, default: 1),
        "transA": .flag(transA), "transB": .flag(transB),
      ])
    ]
  }
}
