import GraftIR

/// `Activation`: the activation named by `activation` (see `KerasLayerCall.activation`),
/// computed in the input's layout; `linear` is an Identity so the layer stays a cut point.
enum ActivationLayer: KerasLayerConverter {
  static let classNames = ["Activation"]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    var input = try call.singleInput()
    let name = try call.activationName()
    if name == "glu", case .flattenedChannelsFirst = input.layout {
      input = KerasTensor(value: try call.builder.inKerasLayout(input))
    }
    var output = try call.activation(name, input.value, layout: input.layout)
    if output == input.value { output = try call.node(Identity(), [input.value]) }
    return [KerasTensor(value: output, layout: input.layout)]
  }
}

/// `ReLU(max_value, negative_slope, threshold)`, Keras's general rectifier:
/// `y = min(x, max_value)` for `x > threshold` (clipped below at 0 when `max_value` is set),
/// `y = negative_slope·(x − threshold)` for `x ≤ threshold` (0 without a slope).
///
/// Keras computes `positive − negative_slope·relu(threshold − x)` with `positive` =
/// `where(x > threshold, x, 0)` (or `relu(x)` at threshold 0), then `clip(positive, 0,
/// max_value)`. The IR uses Relu, Clip or LeakyRelu alone where one of them is that formula, and
/// spells the formula out with elementwise ops otherwise.
enum ReLULayer: KerasLayerConverter {
  static let classNames = ["ReLU"]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    let input = try call.singleInput()
    let x = input.value
    let hasMax = call.config["max_value"].map { !$0.isNull } ?? false
    let maxValue = hasMax ? try call.double("max_value") : nil
    let slope = Float(try call.double("negative_slope", default: 0))
    let threshold = Float(try call.double("threshold", default: 0))
    if let maxValue, maxValue < 0 { throw call.error("max_value \(maxValue) is negative") }
    if slope != 0, maxValue == nil, threshold == 0 {
      return [KerasTensor(value: try call.node(LeakyRelu(alpha: slope), [x]), layout: input.layout)]
    }
    var positive: String
    if threshold != 0 {
      let above = try call.node(
        Greater(), [x, call.scalar(threshold, role: "threshold")], suffix: "above_threshold")
      positive = try call.node(
        Where(), [above, x, call.scalar(0, role: "zero")], suffix: "positive")
      if let maxValue { positive = try call.clip(positive, 0, Float(maxValue), suffix: "clip") }
    } else if let maxValue {
      positive = try call.clip(x, 0, Float(maxValue), suffix: "clip")
    } else {
      positive = try call.node(Relu(), [x])
    }
    if slope != 0 {
      let below = try call.node(
        Sub(), [call.scalar(threshold, role: "threshold"), x], suffix: "below_threshold")
      let negative = try call.node(Relu(), [below], suffix: "negative")
      let scaled = try call.node(
        Mul(), [negative, call.scalar(slope, role: "negative_slope")], suffix: "negative_scaled")
      positive = try call.node(Sub(), [positive, scaled])
    }
    return [KerasTensor(value: positive, layout: input.layout)]
  }
}

/// `LeakyReLU`: `y = x` for `x ≥ 0`, `slope·x` otherwise; the slope is Keras 2's `alpha` or
/// Keras 3's `negative_slope`, 0.3 by default in both.
enum LeakyReLULayer: KerasLayerConverter {
  static let classNames = ["LeakyReLU"]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    let input = try call.singleInput()
    let key = call.config["negative_slope"] != nil ? "negative_slope" : "alpha"
    let slope = Float(try call.double(key, default: 0.3))
    let output = try call.node(LeakyRelu(alpha: slope), [input.value])
    return [KerasTensor(value: output, layout: input.layout)]
  }
}

/// `PReLU`: `y = x` for `x ≥ 0`, `alpha·x` otherwise, with the learned `alpha` of shape
/// `input.shape[1…]`, 1 on the `shared_axes` (Keras axes, batch = 0). The slope is moved to the
/// input's IR layout so that it broadcasts in place.
enum PReLULayer: KerasLayerConverter {
  static let classNames = ["PReLU"]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    let input = try call.singleInput()
    let rank = try call.kerasShape(input).count
    let shared = Set(try call.axes("shared_axes", rank: rank, ifNull: []))
    guard !shared.contains(0) else { throw call.error("shared_axes cannot hold the batch axis") }
    let features = try call.fixedDims(input, axes: Array(1..<rank))
    let shape = features.enumerated().map { shared.contains($0.offset + 1) ? 1 : $0.element }
    let alpha = try call.weight(0, role: "alpha", shape: shape)
    let slope = input.layout.irConstant(alpha.reshaped([1] + shape))
    let output = try call.node(PRelu(), [input.value, call.constant(slope, role: "alpha")])
    return [KerasTensor(value: output, layout: input.layout)]
  }
}

/// `ELU(alpha)`: `y = x` for `x > 0`, `alpha·(exp(x) − 1)` otherwise.
enum ELULayer: KerasLayerConverter {
  static let classNames = ["ELU"]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    let input = try call.singleInput()
    let alpha = Float(try call.double("alpha", default: 1))
    return [
      KerasTensor(value: try call.node(Elu(alpha: alpha), [input.value]), layout: input.layout)
    ]
  }
}

/// `Softmax(axis)` over one Keras axis, mapped to the IR axis of the input's layout (over the
/// whole feature axis of a flattened tensor, whose order does not matter to it).
enum SoftmaxLayer: KerasLayerConverter {
  static let classNames = ["Softmax"]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    let input = try call.singleInput()
    let rank = try call.kerasShape(input).count
    let axis = try call.singleAxis("axis", rank: rank, default: -1)
    let irAxis = input.layout.irAxis(axis, rank: rank)
    return [
      KerasTensor(
        value: try call.node(Softmax(axis: irAxis), [input.value]), layout: input.layout)
    ]
  }
}
