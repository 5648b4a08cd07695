import GraftIR

extension ConvTranspose: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> ConvTranspose {
    let op = ConvTranspose(
      autoPad: try node.choice("auto_pad", default: .notSet),
      dilations: try node.ints("dilations"),
      group: try node.int("group", default: 1),
      kernelShape: try node.ints("kernel_shape"),
      outputPadding: try node.ints("output_padding"),
      outputShape: try node.ints("output_shape"),
      pads: try node.ints("pads"),
      strides: try node.ints("strides"))
    try require(op.group >= 1, "group should be at least 1, got \(op.group)")
    if let kernel = op.kernelShape { _ = try op.window(spatialRank: kernel.count, weight: nil) }
    return op
  }
}

extension ConvTranspose: ONNXExportable {
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    var attributes = windowAttributes(
      kernelShape: kernelShape, strides: strides, dilations: dilations)
    attributes["group"] = .int(group, default: 1)
    attributes["output_padding"] = outputPadding.map(ONNXAttribute.ints)
    attributes["output_shape"] = outputShape.map(ONNXAttribute.ints)
    return [context.onnxNode(attributes: attributes)]
  }
}
