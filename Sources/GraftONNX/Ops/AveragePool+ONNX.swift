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
