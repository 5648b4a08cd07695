import GraftIR

extension Reshape: ONNXImportable {
  /// `allowzero` arrived in opset 14; earlier opsets always copy input dims for a 0.
  public static func fromONNX(_ node: inout ONNXNode) throws -> Reshape {
    let allowzero = try node.int("allowzero", default: 0)
    try require(
      allowzero == 0 || allowzero == 1, "Reshape: allowzero must be 0 or 1, got \(allowzero)")
    return Reshape(allowzero: allowzero == 1)
  }
}

extension Reshape: ONNXExportable {
  /// Before opset 14 `allowzero = 1` can only be left out when the shape is a constant without
  /// zeros, where it changes nothing.
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    let zerosMatter = allowzero && context.constantIntegers(1).map { $0.contains(0) } ?? true
    try context.requireOpset(
      14, for: "Reshape with allowzero = 1 and a shape that may hold 0", when: zerosMatter)
    let attributes: [String: ONNXAttribute?] = [
      "allowzero": .flag(allowzero && context.opset >= 14)
    ]
    return [context.onnxNode(attributes: attributes)]
  }
}
