import GraftIR

extension Shape: ONNXImportable {
  /// `start` and `end` arrived in opset 15; earlier opsets take every dim.
  public static func fromONNX(_ node: inout ONNXNode) throws -> Shape {
    Shape(start: try node.int("start", default: 0), end: try node.int("end"))
  }
}

extension Shape: ONNXExportable {
  /// `start` and `end` arrived in opset 15; before, the selection is a Slice of the whole shape
  /// (Slice clamps its bounds as Shape does).
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    let attributes: [String: ONNXAttribute?] = [
      "start": .int(start, default: 0), "end": end.map(ONNXAttribute.int),
    ]
    guard context.opset < 15, start != 0 || end != nil else {
      return [context.onnxNode(attributes: attributes)]
    }
    var nodes: [ONNXNode] = []
    let shape = context.emit("Shape", [context.node.inputs[0]], into: &nodes)
    let starts = context.integers([start], role: "starts")
    let ends = context.integers([end ?? Int(Int64.max)], role: "ends")
    _ = context.emit(
      "Slice", [shape, starts, ends], into: &nodes, output: context.node.outputs[0])
    return nodes
  }
}
