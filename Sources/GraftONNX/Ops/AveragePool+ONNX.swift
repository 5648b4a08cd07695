import GraftIR

extension AveragePool: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> AveragePool {
    let pooling = try PoolingAttributes(node, opType: opType)
    let op = AveragePool(
      kernelShape: pooling.kernelShape,
      autoPad: pooling.autoPad,
      ceilMode: pooling.ceilMode,
      countIncludePad: try node.flag("count_include_pad"),
      dilations: pooling.dilations,
      pads: pooling.pads,
      strides: pooling.strides)
    _ = try op.window()
    return op
  }
}

extension AveragePool: ONNXExportable {
  /// `dilations` arrived in opset 19; before, only dilations of 1 can be written.
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    let dilated = dilations.map { $0.contains { $0 != 1 } } ?? false
    try context.requireOpset(
      19, for: "AveragePool with dilations \(dilations ?? [])", when: dilated)
    var attributes = poolingAttributes
    attributes["count_include_pad"] = .flag(countIncludePad)
    if !dilated { attributes["dilations"] = nil }
    return [context.onnxNode(attributes: attributes)]
  }
}
