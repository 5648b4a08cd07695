import GraftIR

extension ONNXImportable where Self: SoftmaxFamilyOperator {
  /// Opset 13 made `axis` (default −1) name the one axis normalised along. Before, `axis` (default
  /// 1) flattened the input to 2-D and normalised each row: kept as `coerceTo2D`, except for
  /// axis −1, where both meanings are the same.
  public static func fromONNX(_ node: inout ONNXNode) throws -> Self {
    if node.opset >= 13 { return Self(axis: try node.int("axis", default: -1), coerceTo2D: false) }
    let axis = try node.int("axis", default: 1)
    return Self(axis: axis, coerceTo2D: axis != -1)
  }
}

extension Softmax: ONNXImportable {}
extension LogSoftmax: ONNXImportable {}
