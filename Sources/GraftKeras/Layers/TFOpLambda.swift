import GraftIR

/// `TFOpLambda`: a TensorFlow function that tf-keras (Keras 2) recorded as a layer when it was
/// applied to a symbolic tensor, e.g. `x + 3.0` (`__operators__.add`) or `tf.nn.relu6(x)`.
///
/// The layer is not Python code but a named op whose tensor operand comes as the call's input and
/// whose other arguments are constants in the call's keywords (`y: 3.0`, `name: null`). MobileNetV3
/// writes its hard-sigmoid `relu6(x + 3) · (1/6)` this way. Read here, in the input's layout:
/// - `__operators__.add`, `math.add`, `math.subtract`, `math.multiply`, `math.truediv`
///   (`tf.math.divide` is written so), `math.maximum`, `math.minimum`: `x op y` with `y` a number
///   (a scalar constant, which broadcasts in any layout) or a tensor (the call's second input;
///   both brought to one layout like a merge layer's inputs);
/// - `nn.relu`, `nn.relu6 = min(max(x, 0), 6)`, `math.sigmoid`, `nn.silu` / `nn.swish =
///   x·sigmoid(x)` (with `beta` 1, its default).
/// Any other function or keyword is refused, naming the function.
enum TFOpLambdaLayer: KerasLayerConverter {
  static let classNames = ["TFOpLambda"]

  /// The IR op of each binary function.
  private static let binary: [String: any Operator] = [
    "__operators__.add": Add(), "math.add": Add(), "math.subtract": Sub(),
    "math.multiply": Mul(), "math.truediv": Div(), "math.maximum": Max(), "math.minimum": Min(),
  ]

  /// The Keras activation (see `KerasLayerCall.activation`) of each unary function.
  private static let unary = [
    "nn.relu": "relu", "nn.relu6": "relu6", "math.sigmoid": "sigmoid", "nn.silu": "silu",
    "nn.swish": "silu",
  ]

  /// Whether the TFOpLambda `layer` calls a function this converter reads (for listing the
  /// unsupported ones before assembling).
  static func supports(_ layer: KerasLayerConfig) -> Bool {
    guard let function = layer.config["function"]?.string else { return false }
    return binary[function] != nil || unary[function] != nil
  }

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    let function = try call.string("function")
    if let op = binary[function] {
      return [try binaryOp(op, function: function, &call)]
    }
    if let activation = unary[function] {
      try call.requireKeywords(function: function, known: ["name", "beta"])
      if let beta = call.keywords["beta"], beta.double != 1 {
        throw call.error("\(function): only beta 1 is supported, got \(beta)")
      }
      let x = try call.tensorOperand(function: function)
      let output = try call.activation(activation, x.value, layout: x.layout, suffix: "op")
      return [KerasTensor(value: output, layout: x.layout)]
    }
    throw call.error(
      "unsupported TensorFlow function '\(function)' (read: "
        + (binary.keys.sorted() + unary.keys.sorted()).joined(separator: ", ") + ")")
  }

  /// `x op y`: y a number (a scalar constant) or a tensor (the call's second input).
  private static func binaryOp(
    _ op: any Operator, function: String, _ call: inout KerasLayerCall
  ) throws -> KerasTensor {
    try call.requireKeywords(function: function, known: ["name", "y"])
    guard let y = call.keywords["y"], !y.isNull else {
      throw call.error("\(function): the argument 'y' is missing")
    }
    if let number = y.double {
      let x = try call.tensorOperand(function: function, inputs: 1)
      guard call.builder.type(of: x.value).dtype == .float32 else {
        throw call.error(
          "\(function): a constant y is read for float32 tensors only, the input is "
            + "\(call.builder.type(of: x.value))")
      }
      let output = try call.node(op, [x.value, call.scalar(Float(number), role: "y")])
      return KerasTensor(value: output, layout: x.layout)
    }
    guard let reference = y.array, reference.count == 3, let source = reference[0].string,
      reference[1].int != nil, reference[2].int != nil
    else {
      throw call.error("\(function): cannot read the argument y = \(y) (a number or a tensor)")
    }
    guard call.inputs.count == 2 else {
      throw call.error(
        "\(function): y is the tensor of layer '\(source)', but the call has "
          + "\(call.inputs.count) input tensors, not x and y")
    }
    let (values, layout) = try call.commonLayout(call.inputs, keepFlattened: true)
    return KerasTensor(value: try call.node(op, values), layout: layout)
  }
}

extension KerasLayerCall {
  /// Refuses keywords outside `known`, naming the function (`name` is TensorFlow's op name).
  fileprivate func requireKeywords(function: String, known: Set<String>) throws {
    let unknown = keywords.keys.filter { !known.contains($0) }.sorted()
    guard unknown.isEmpty else {
      throw error("\(function): cannot read the argument(s) \(unknown.joined(separator: ", "))")
    }
  }

  /// The tensor `x` of a function called with `inputs` tensors.
  fileprivate func tensorOperand(function: String, inputs count: Int = 1) throws -> KerasTensor {
    guard inputs.count == count, let first = inputs.first else {
      throw error(
        "\(function): expects \(count) input tensor(s), got \(inputs.count)"
          + (inputs.isEmpty ? " (a constant first argument is not read)" : ""))
    }
    return first
  }
}
