import GraftIR

extension MaxPool: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> MaxPool {
    let pooling = try PoolingAttributes(node, opType: opType)
    let op = MaxPool(
      kernelShape: pooling.kernelShape,
      autoPad: pooling.autoPad,
      ceilMode: pooling.ceilMode,
      dilations: pooling.dilations,
      pads: pooling.pads,
      storageOrder: try node.int("storage_order", default: 0),
      strides: pooling.strides)
    try require(
      op.storageOrder == 0 || op.storageOrder == 1,
      "storage_order should be 0 (row major) or 1 (column major), got \(op.storageOrder)")
    _ = try op.window()
    return op
  }
}

extension MaxPool: ONNXExportable {
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    var attributes = poolingAttributes
    attributes["storage_order"] = .int(storageOrder, default: 0)
    return [context.onnxNode(attributes: attributes)]
  }
}
