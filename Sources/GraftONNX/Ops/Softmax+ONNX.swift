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

extension Softmax: ONNXImportable, ONNXExportable {}
extension LogSoftmax: ONNXImportable, ONNXExportable {}

extension ONNXExportable where Self: SoftmaxFamilyOperator {
  /// `coerceTo2D` (the meaning before opset 13, normalising jointly over `axis…`) is written as
  /// Flatten at `axis`, the op over the last axis, and a Reshape back to X's shape; it is the
  /// plain op when `axis` is known to be the last axis.
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    let rank = context.inputType(0)?.rank
    let lastAxis = try rank.map { try ShapeRules.axis(axis, rank: $0) == $0 - 1 } ?? false
    guard coerceTo2D, !lastAxis else {
      return [context.onnxNode(attributes: ["axis": .int(axis, default: -1)])]
    }
    var nodes: [ONNXNode] = []
    let x = context.node.inputs[0]
    let flat = context.emit("Flatten", [x], into: &nodes, attributes: ["axis": .int(axis)])
    let normalized = context.emit(Self.opType, [flat], into: &nodes)
    let shape = context.emit("Shape", [x], into: &nodes)
    _ = context.emit(
      "Reshape", [normalized, shape], into: &nodes, output: context.node.outputs[0])
    return nodes
  }
}
