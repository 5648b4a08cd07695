import GraftIR

/// The attributes MaxPool and AveragePool share, read with their ONNX defaults.
struct PoolingAttributes {
  var kernelShape: [Int]
  var autoPad: AutoPad
  var ceilMode: Bool
  var dilations: [Int]?
  var pads: [Int]?
  var strides: [Int]?

  /// Reads them from `node`, of operator `opType`, which must have `kernel_shape`.
  init(_ node: ONNXNode, opType: String) throws {
    guard let kernelShape = try node.ints("kernel_shape") else {
      throw GraphError.invalidOperator("\(opType) needs the kernel_shape attribute")
    }
    self.kernelShape = kernelShape
    autoPad = try node.choice("auto_pad", default: .notSet)
    ceilMode = try node.flag("ceil_mode")
    dilations = try node.ints("dilations")
    pads = try node.ints("pads")
    strides = try node.ints("strides")
  }
}

extension PoolingOperator {
  /// The attributes MaxPool and AveragePool share, with ONNX names; the defaults left out.
  var poolingAttributes: [String: ONNXAttribute?] {
    var attributes = windowAttributes(
      kernelShape: kernelShape, strides: strides, dilations: dilations)
    attributes["ceil_mode"] = .flag(ceilMode)
    return attributes
  }
}
