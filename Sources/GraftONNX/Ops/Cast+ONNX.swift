import GraftIR

extension Cast: ONNXImportable {
  /// `saturate` (opset 19) and `round_mode` (opset 23) only affect float8 and float4 targets,
  /// which the IR does not have, so they are ignored.
  public static func fromONNX(_ node: inout ONNXNode) throws -> Cast {
    guard let code = try node.int("to") else {
      throw GraphError.invalidOperator("Cast needs the attribute 'to'")
    }
    guard let dtype = ONNXDataType.dtype(code: Int32(clamping: code)) else {
      let supported = DType.allCases.map(\.rawValue).joined(separator: ", ")
      throw GraphError.invalidOperator(
        "Cast to \(ONNXDataType.name(code: Int32(clamping: code))) (type code \(code)) is not "
          + "supported; Graft's element types are \(supported)")
    }
    return Cast(to: dtype)
  }
}

extension Cast: ONNXExportable {
  /// `saturate` (opset 19) is left at its default: it only affects float8 targets.
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    [context.onnxNode(["to": .int(Int(ONNXDataType.code(of: to)))])]
  }
}
