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
