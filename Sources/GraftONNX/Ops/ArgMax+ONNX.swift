import GraftIR

extension ArgMax: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> ArgMax {
    ArgMax(
      axis: try node.int("axis", default: 0),
      keepdims: try node.int("keepdims", default: 1) != 0,
      selectLastIndex: try node.int("select_last_index", default: 0) != 0)
  }
}

extension ArgMax: ONNXExportable {
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    [
      context.onnxNode(attributes: [
        "axis": .int(axis, default: 0), "keepdims": .flag(keepdims, default: true),
        "select_last_index": .flag(selectLastIndex),
      ])
    ]
  }
}
