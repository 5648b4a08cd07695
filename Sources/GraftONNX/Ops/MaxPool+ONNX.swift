import GraftIR

extension MaxPool: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> MaxPool {
    guard let kernelShape = try node.ints("kernel_shape") else {
      throw GraphError.invalidOperator("MaxPool needs the kernel_shape attribute")
    }
    let op = MaxPool(
      kernelShape: kernelShape,
      autoPad: try node.choice("auto_pad", default: .notSet),
      ceilMode: try node.flag("ceil_mode"),
      dilations: try node.ints("dilations"),
      pads: try node.ints("pads"),
      storageOrder: try node.int("storage_order", default: 0),
      strides: try node.ints("strides"))
    try require(
      op.storageOrder == 0 || op.storageOrder == 1,
      "storage_order should be 0 (row major) or 1 (column major), got \(op.storageOrder)")
    _ = try op.window()
    return op
  }
}
