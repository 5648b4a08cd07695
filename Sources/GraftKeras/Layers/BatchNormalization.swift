import GraftIR

/// `BatchNormalization` at inference: `y = γ·(x − μ)/sqrt(σ² + ε) + β` over one axis, with the
/// moving statistics.
///
/// Weights in Keras's order: `gamma` (only with `scale`), `beta` (only with `center`),
/// `moving_mean`, `moving_variance`; a missing γ is 1 and a missing β 0. Keras's `epsilon`
/// (default 1e-3) is written into the node. A channels-last feature map (the normalised axis is
/// the last of a rank ≥ 3 input) is computed channels-first. When the normalised axis is IR
/// axis 1 this is one ONNX BatchNormalization (its vectors permuted after a channels-first
/// Flatten); otherwise (a spatial axis) it is folded into `y = x·s + (β − μ·s)` with
/// `s = γ/sqrt(σ² + ε)`, constants shaped to broadcast along that axis.
enum BatchNormalizationLayer: KerasLayerConverter {
  static let classNames = ["BatchNormalization"]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    var input = try call.singleInput()
    let rank = try call.kerasShape(input).count
    let axis = try call.singleAxis("axis", rank: rank, default: -1)
    guard axis > 0 else { throw call.error("cannot normalise over the batch axis") }
    let epsilon = try call.double("epsilon", default: 1e-3)
    let channels = try call.fixedDims(input, axes: [axis])[0]
    let statistics = try weights(call, channels: channels)
    if input.layout == .keras, rank >= 3, axis == rank - 1 {
      input = KerasTensor(
        value: try call.builder.channelsFirst(input), layout: .channelsFirst)
    }
    let irAxis = input.layout.irAxis(axis, rank: rank)
    var broadcast = Array(repeating: 1, count: rank)
    broadcast[axis] = channels
    func irTensor(_ values: [Float]) -> Tensor {
      input.layout.irConstant(Tensor(values, shape: broadcast))
    }
    let output: String
    if irAxis == 1 {
      let vectors = [statistics.gamma, statistics.beta, statistics.mean, statistics.variance]
      let roles = ["gamma", "beta", "moving_mean", "moving_variance"]
      var inputs = [input.value]
      for (values, role) in zip(vectors, roles) {
        inputs.append(call.constant(irTensor(values).reshaped([channels]), role: role))
      }
      output = try call.node(BatchNormalization(epsilon: Float(epsilon)), inputs)
    } else {
      let eps = Float(epsilon)
      let scale = (0..<channels).map {
        statistics.gamma[$0] / (statistics.variance[$0] + eps).squareRoot()
      }
      let shift = (0..<channels).map { statistics.beta[$0] - statistics.mean[$0] * scale[$0] }
      let scaled = try call.node(
        Mul(), [input.value, call.constant(irTensor(scale), role: "scale")], suffix: "scaled")
      output = try call.node(Add(), [scaled, call.constant(irTensor(shift), role: "shift")])
    }
    return [KerasTensor(value: output, layout: input.layout)]
  }

  /// γ, β, μ and σ² as float vectors of length `channels`, from the weights present.
  private static func weights(_ call: KerasLayerCall, channels: Int) throws -> (
    gamma: [Float], beta: [Float], mean: [Float], variance: [Float]
  ) {
    var index = 0
    func next(_ role: String) throws -> [Float] {
      defer { index += 1 }
      return try call.weight(index, role: role, shape: [channels]).doubles().map(Float.init)
    }
    let gamma =
      try call.bool("scale", default: true)
      ? try next("gamma") : Array(repeating: 1, count: channels)
    let beta =
      try call.bool("center", default: true)
      ? try next("beta") : Array(repeating: 0, count: channels)
    let mean = try next("moving_mean")
    let variance = try next("moving_variance")
    return (gamma, beta, mean, variance)
  }
}
