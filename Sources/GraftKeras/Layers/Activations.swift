import GraftIR

extension KerasLayerCall {
  /// Applies the Keras activation named `activation` to `value`, held with `layout`; returns the
  /// result (`value` itself for `linear`).
  ///
  /// Keras's formulas: `relu6 = min(max(x, 0), 6)`; `hard_sigmoid` is
  /// `clip(0.2·x + 0.5, 0, 1)` in Keras 2 and `relu6(x + 3) / 6 = clip(x/6 + 0.5, 0, 1)` in Keras 3;
  /// `swish = silu = x·sigmoid(x)`; `selu`, `elu` with Keras's constants; `gelu` exact (erf);
  /// `softmax` and `log_softmax` over Keras's last axis (the channel axis 1 of a channels-first
  /// value); `softplus = max(x, 0) + log(1 + exp(−|x|))` (TensorFlow's stable form);
  /// `leaky_relu` with Keras 3's slope 0.2; `softsign = x/(1 + |x|)`;
  /// `mish = x·tanh(softplus(x))`; `log_sigmoid = −softplus(−x)`; `hard_tanh = clip(x, −1, 1)`;
  /// `tanh_shrink = x − tanh(x)`; `celu` (α = 1) is `elu`; `soft_shrink = x − clip(x, −½, ½)`;
  /// `hard_shrink = x` where `|x| > ½`, else 0; `sparse_sigmoid = clip((x + 1)/2, 0, 1)`;
  /// `sparse_plus = (clip(x, −1, 1) + 1)²/4 + max(x − 1, 0)`; `squareplus = (x + sqrt(x² + 4))/2`;
  /// `glu = a·sigmoid(b)` with `a`, `b` the halves of the last axis.
  public mutating func activation(
    _ activation: String, _ value: String, layout: KerasLayout, suffix: String = "activation"
  ) throws -> String {
    func unary(_ op: any Operator) throws -> String { try node(op, [value], suffix: suffix) }
    func binary(_ op: any Operator, _ a: String, _ b: String) throws -> String {
      try node(op, [a, b], suffix: suffix)
    }
    func number(_ number: Float, _ role: String) -> String {
      scalar(number, role: "\(suffix)_\(role)")
    }
    let lastAxis = layout == .channelsFirst ? 1 : -1
    switch activation {
    case "linear", "": return value
    case "relu": return try unary(Relu())
    case "relu6": return try clip(value, 0, 6, suffix: suffix)
    case "sigmoid": return try unary(Sigmoid())
    case "hard_sigmoid":
      return try unary(
        kerasMajorVersion >= 3 ? HardSigmoid(alpha: 1 / 6, beta: 0.5) : HardSigmoid())
    case "hard_swish", "hard_silu": return try unary(HardSwish())
    case "tanh": return try unary(Tanh())
    case "elu", "celu": return try unary(Elu(alpha: 1))
    case "selu": return try unary(Selu())
    case "gelu": return try unary(Gelu(approximate: .exact))
    case "leaky_relu": return try unary(LeakyRelu(alpha: 0.2))
    case "exponential": return try unary(Exp())
    case "swish", "silu":
      let gate = try node(Sigmoid(), [value], suffix: "\(suffix)_sigmoid")
      return try binary(Mul(), value, gate)
    case "softplus": return try softplus(value, suffix: suffix)
    case "softmax": return try unary(Softmax(axis: lastAxis))
    case "log_softmax": return try unary(LogSoftmax(axis: lastAxis))
    case "softsign":
      let magnitude = try node(Abs(), [value], suffix: "\(suffix)_abs")
      let denominator = try node(
        Add(), [magnitude, number(1, "one")], suffix: "\(suffix)_denominator")
      return try binary(Div(), value, denominator)
    case "mish":
      let smooth = try softplus(value, suffix: "\(suffix)_softplus")
      let squashed = try node(Tanh(), [smooth], suffix: "\(suffix)_tanh")
      return try binary(Mul(), value, squashed)
    case "log_sigmoid":
      let negated = try node(Neg(), [value], suffix: "\(suffix)_neg")
      return try node(Neg(), [try softplus(negated, suffix: "\(suffix)_softplus")], suffix: suffix)
    case "hard_tanh": return try clip(value, -1, 1, suffix: suffix)
    case "tanh_shrink":
      return try binary(Sub(), value, try node(Tanh(), [value], suffix: "\(suffix)_tanh"))
    case "soft_shrink":
      return try binary(Sub(), value, try clip(value, -0.5, 0.5, suffix: "\(suffix)_clip"))
    case "hard_shrink":
      let magnitude = try node(Abs(), [value], suffix: "\(suffix)_abs")
      let keep = try node(
        Greater(), [magnitude, number(0.5, "threshold")], suffix: "\(suffix)_keep")
      return try node(Where(), [keep, value, number(0, "zero")], suffix: suffix)
    case "sparse_sigmoid": return try unary(HardSigmoid(alpha: 0.5, beta: 0.5))
    case "sparse_plus":
      let clipped = try clip(value, -1, 1, suffix: "\(suffix)_clip")
      let shifted = try node(Add(), [clipped, number(1, "one")], suffix: "\(suffix)_shifted")
      let square = try node(Mul(), [shifted, shifted], suffix: "\(suffix)_square")
      let quadratic = try node(
        Mul(), [square, number(0.25, "quarter")], suffix: "\(suffix)_quadratic")
      let excess = try node(Sub(), [value, number(1, "one")], suffix: "\(suffix)_excess")
      let linear = try node(Relu(), [excess], suffix: "\(suffix)_linear")
      return try binary(Add(), quadratic, linear)
    case "squareplus":
      let square = try node(Mul(), [value, value], suffix: "\(suffix)_square")
      let shifted = try node(Add(), [square, number(4, "b")], suffix: "\(suffix)_shifted")
      let root = try node(Sqrt(), [shifted], suffix: "\(suffix)_sqrt")
      let sum = try node(Add(), [value, root], suffix: "\(suffix)_sum")
      return try binary(Mul(), sum, number(0.5, "half"))
    case "glu": return try glu(value, layout: layout, suffix: suffix)
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

  /// `min(max(x, low), high)`.
  mutating func clip(_ value: String, _ low: Float, _ high: Float, suffix: String) throws
    -> String
  {
    let bounds = [scalar(low, role: "\(suffix)_min"), scalar(high, role: "\(suffix)_max")]
    return try node(Clip(), [value] + bounds, suffix: suffix)
  }

  /// `softplus(x) = max(x, 0) + log(1 + exp(−|x|))`, which does not overflow for large `x`.
  private mutating func softplus(_ value: String, suffix: String) throws -> String {
    let positive = try node(Relu(), [value], suffix: "\(suffix)_relu")
    let magnitude = try node(Abs(), [value], suffix: "\(suffix)_abs")
    let negated = try node(Neg(), [magnitude], suffix: "\(suffix)_neg")
    let decay = try node(Exp(), [negated], suffix: "\(suffix)_exp")
    let one = scalar(1, role: "\(suffix)_one")
    let sum = try node(Add(), [decay, one], suffix: "\(suffix)_sum")
    let log = try node(Log(), [sum], suffix: "\(suffix)_log")
    return try node(Add(), [positive, log], suffix: suffix)
  }

  /// `glu(x) = a·sigmoid(b)`, `a` and `b` the first and second halves of the last Keras axis.
  private mutating func glu(_ value: String, layout: KerasLayout, suffix: String) throws
    -> String
  {
    if case .flattenedChannelsFirst = layout {
      throw error("glu needs its input in Keras's feature order, not a channels-first Flatten")
    }
    let shape = builder.type(of: value).shape ?? []
    let axis = layout == .channelsFirst ? 1 : shape.count - 1
    guard axis >= 0, let size = shape[axis].value, size % 2 == 0 else {
      throw error("glu needs a known, even size on the last axis, got \(shape)")
    }
    func half(_ start: Int, _ role: String) throws -> String {
      let bounds = zip(["start", "end", "axis"], [start, start + size / 2, axis]).map {
        constant(Tensor([Int64($1)], shape: [1]), role: "\(suffix)_\(role)_\($0)")
      }
      return try node(SliceOp(), [value] + bounds, suffix: "\(suffix)_\(role)")
    }
    let first = try half(0, "first_half")
    let second = try half(size / 2, "second_half")
    let gate = try node(Sigmoid(), [second], suffix: "\(suffix)_gate")
    return try node(Mul(), [first, gate], suffix: suffix)
  }
}
