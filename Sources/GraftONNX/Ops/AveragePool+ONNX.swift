import GraftIR

extension AveragePool: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> AveragePool {
    guard let kernelShape = try node.ints("kernel_shape") else {
      throw GraphError.invalidOperator("AveragePool needs the kernel_shape attribute")
    }
    let op = AveragePool(
      kernelShape: kernelShape,
      autoPad: try node.choice("auto_pad", default: .notSet),
      ceilMode: try node.flag("ceil_mode"),
      countIncludePad: try node.flag("count_include_pad"),
      dilations: try node.ints("dilations"),
      pads: try node.ints("pads"),
      strides: try node.ints("strides"))
    _ = try op.window()
    return op
  }
}
