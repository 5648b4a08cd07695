import GraftIR

extension KerasLayerCall {
  /// Applies the Keras activation named `activation` to `value`, held with `layout`; returns the
  /// result (`value` itself for `linear`).
  ///
  /// Keras's formulas: `relu6 = min(max(x, 0), 6)`; `hard_sigmoid` is
  /// `clip(0.2·x + 0.5, 0, 1)` in Keras 2 and `relu6(x + 3) / 6 = clip(x/6 + 0.5, 0, 1)` in Keras 3;
  /// `swish = silu = x·sigmoid(x)`; `selu`, `elu` with Keras's constants; `gelu` exact (erf);
  /// `softmax` over Keras's last axis (the channel axis 1 of a channels-first value);
  /// `softplus = log(exp(x) + 1)`; `leaky_relu` with Keras 3's slope 0.2.
  public mutating func activation(
    _ activation: String, _ value: String, layout: KerasLayout, suffix: String = "activation"
  ) throws -> String {
    func unary(_ op: any Operator) throws -> String { try node(op, [value], suffix: suffix) }
    switch activation {
    case "linear", "": return value
    case "relu": return try unary(Relu())
    case "relu6":
      let zero = constant(Tensor(scalar: Float(0)), role: "\(suffix)_min")
      let six = constant(Tensor(scalar: Float(6)), role: "\(suffix)_max")
      return try node(Clip(), [value, zero, six], suffix: suffix)
    case "sigmoid": return try unary(Sigmoid())
    case "hard_sigmoid":
      return try unary(
        kerasMajorVersion >= 3 ? HardSigmoid(alpha: 1 / 6, beta: 0.5) : HardSigmoid())
    case "hard_swish", "hard_silu": return try unary(HardSwish())
    case "tanh": return try unary(Tanh())
    case "elu": return try unary(Elu(alpha: 1))
    case "selu": return try unary(Selu())
    case "gelu": return try unary(Gelu(approximate: .exact))
    case "leaky_relu": return try unary(LeakyRelu(alpha: 0.2))
    case "exponential": return try unary(Exp())
    case "swish", "silu":
      let gate = try node(Sigmoid(), [value], suffix: "\(suffix)_sigmoid")
      return try node(Mul(), [value, gate], suffix: suffix)
    case "softplus":
      let one = constant(Tensor(scalar: Float(1)), role: "\(suffix)_one")
      let exp = try node(Exp(), [value], suffix: "\(suffix)_exp")
      let sum = try node(Add(), [exp, one], suffix: "\(suffix)_sum")
      return try node(Log(), [sum], suffix: suffix)
    case "softmax":
      return try unary(Softmax(axis: layout == .channelsFirst ? 1 : -1))
    default:
      throw error("unsupported activation '\(activation)'")
    }
  }

  /// The `activation` field of the config (a name, or a serialised activation object).
  public func activationName(_ key: String = "activation") throws -> String {
    guard let field = config[key], !field.isNull else { return "linear" }
    if let name = field.string { return name }
    if let name = field["config"]?.string ?? field["class_name"]?.string { return name }
    throw error("unreadable '\(key)': \(field)")
  }
}
