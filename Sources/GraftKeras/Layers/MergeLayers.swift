import GraftIR

/// The elementwise merges `Add`, `Subtract`, `Multiply`, `Average`, `Maximum`, `Minimum` of a
/// list of tensors (Keras 3 accepts one; `Subtract` takes exactly two), broadcasting, in their
/// common layout (see `KerasLayerCall.commonLayout`): ONNX Sum (Add for two inputs, the residual
/// connection runtimes fuse into the convolution before it), Sub, a chain of Mul, Mean, Max and Min.
///
/// Keras 3 also writes `keras.ops.add(x, 3.0)` (and multiply, subtract, maximum, minimum) as a
/// layer of these class names whose arguments are one tensor and a number: that is the binary
/// op with a scalar constant, in the arguments' order.
enum ElementwiseMergeLayers: KerasLayerConverter {
  static let classNames = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    let className = call.layer.className
    if let constantIndex = call.arguments.firstIndex(where: { $0.double != nil }) {
      return [try withConstant(&call, constantIndex: constantIndex)]
    }
    let expected = className == "Subtract" ? 2...2 : 1...Int.max
    guard expected.contains(call.inputs.count) else {
      throw call.error(
        "merges \(call.inputs.count) inputs; it needs \(expected.lowerBound)"
          + (className == "Subtract" ? "" : " or more"))
    }
    let (values, layout) = try call.commonLayout(call.inputs, keepFlattened: true)
    let output: String
    switch className {
    case "Add": output = try call.node(values.count == 2 ? Add() : Sum(), values)
    case "Subtract": output = try call.node(Sub(), values)
    case "Average": output = try call.node(Mean(), values)
    case "Maximum": output = try call.node(Max(), values)
    case "Minimum": output = try call.node(Min(), values)
    default:
      var product = values[0]
      for (index, value) in values.enumerated().dropFirst() {
        product = try call.node(Mul(), [product, value], suffix: "Mul_\(index)")
      }
      output = product
    }
    return [KerasTensor(value: output, layout: layout)]
  }
}

extension ElementwiseMergeLayers {
  /// `x op c` or `c op x` for Keras 3's `[tensor, number]` arguments.
  static func withConstant(_ call: inout KerasLayerCall, constantIndex: Int) throws -> KerasTensor {
    guard call.arguments.count == 2, call.inputs.count == 1,
      let number = call.arguments[constantIndex].double
    else {
      throw call.error(
        "takes \(call.arguments.count) arguments with a constant; expected a tensor and a number")
    }
    let input = call.inputs[0]
    let constant = call.constant(Tensor(scalar: Float(number)), role: "constant")
    let operands = constantIndex == 0 ? [constant, input.value] : [input.value, constant]
    let op: any Operator
    switch call.layer.className {
    case "Add": op = Add()
    case "Subtract": op = Sub()
    case "Multiply": op = Mul()
    case "Maximum": op = Max()
    case "Minimum": op = Min()
    default: throw call.error("cannot take a constant argument")
    }
    return KerasTensor(value: try call.node(op, operands), layout: input.layout)
  }
}

/// `Concatenate(axis)`: ONNX Concat along the IR axis of Keras's `axis` (default −1) in the
/// inputs' common layout; flattened channels-first inputs are brought to Keras's order, since
/// their concatenation is not the flattening of one feature map.
enum ConcatenateLayer: KerasLayerConverter {
  static let classNames = ["Concatenate"]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    guard call.inputs.count >= 1 else { throw call.error("has no inputs") }
    let rank = try call.kerasShape(call.inputs[0]).count
    let axis = try call.singleAxis("axis", rank: rank, default: -1)
    guard axis > 0 else { throw call.error("cannot concatenate along the batch axis") }
    let (values, layout) = try call.commonLayout(call.inputs, keepFlattened: false)
    let output = try call.node(Concat(axis: layout.irAxis(axis, rank: rank)), values)
    return [KerasTensor(value: output, layout: layout)]
  }
}
