import GraftIR

/// `LayerNormalization`: each sample normalised over the axes of `axis` (default the last):
/// `y = γ·(x − mean)/sqrt(var + ε) + β`, with the mean and the biased variance over those axes.
///
/// Weights: `gamma` (with `scale`) then `beta` (with `center`), shaped like the normalised axes
/// in Keras's order; `epsilon` defaults to 1e-3. When the normalised axes are the IR's trailing
/// axes (Keras order, or every feature axis of a channels-first tensor) this is one ONNX
/// LayerNormalization with γ and β moved to the IR's order; otherwise (the channel axis alone of
/// a channels-first tensor) the formula is spelt out with ReduceMean over those IR axes, so the
/// tensor keeps its layout. Keras 3's `rms_scaling` is refused.
enum LayerNormalizationLayer: KerasLayerConverter {
  static let classNames = ["LayerNormalization"]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    let input = try call.singleInput()
    let rank = try call.kerasShape(input).count
    let axes = try call.axes("axis", rank: rank, ifNull: [rank - 1])
    guard !axes.contains(0) else { throw call.error("cannot normalise over the batch axis") }
    if try call.bool("rms_scaling", default: false) {
      throw call.error("rms_scaling=true (RMS normalisation) is not supported")
    }
    let epsilon = Float(try call.double("epsilon", default: 1e-3))
    let dims = try call.fixedDims(input, axes: axes)
    let fullShape = (0..<rank).map { axis in axes.firstIndex(of: axis).map { dims[$0] } ?? 1 }
    var parameters: [(role: String, tensor: Tensor)] = []
    for (role, key) in [("gamma", "scale"), ("beta", "center")]
    where try call.bool(key, default: true) {
      let weight = try call.weight(parameters.count, role: role, shape: dims)
      parameters.append((role, input.layout.irConstant(weight.reshaped(fullShape))))
    }
    let irAxes = axes.map { input.layout.irAxis($0, rank: rank) }.sorted()
    let output: String
    if irAxes == Array(irAxes[0]..<rank) {
      output = try fused(&call, input.value, axis: irAxes[0], epsilon: epsilon, parameters)
    } else {
      output = try spelt(&call, input.value, axes: irAxes, epsilon: epsilon, parameters)
    }
    return [KerasTensor(value: output, layout: input.layout)]
  }

  /// One LayerNormalization over the IR axes `axis…`; its Scale is required (ones without γ).
  private static func fused(
    _ call: inout KerasLayerCall, _ x: String, axis: Int, epsilon: Float,
    _ parameters: [(role: String, tensor: Tensor)]
  ) throws -> String {
    let normalised = (call.builder.type(of: x).shape ?? [])[axis...].compactMap(\.value)
    func parameter(_ role: String) -> Tensor? {
      parameters.first { $0.role == role }?.tensor.reshaped(normalised)
    }
    let ones = Tensor([Float](repeating: 1, count: normalised.reduce(1, *)), shape: normalised)
    var inputs = [x, call.constant(parameter("gamma") ?? ones, role: "gamma")]
    if let beta = parameter("beta") { inputs.append(call.constant(beta, role: "beta")) }
    return try call.node(LayerNormalization(axis: axis, epsilon: epsilon), inputs)
  }

  /// The formula over IR axes that are not trailing, with broadcast γ and β.
  private static func spelt(
    _ call: inout KerasLayerCall, _ x: String, axes: [Int], epsilon: Float,
    _ parameters: [(role: String, tensor: Tensor)]
  ) throws -> String {
    let axesValue = call.constant(Tensor(axes.map(Int64.init), shape: [axes.count]), role: "axes")
    let mean = try call.node(ReduceMean(ReductionAttributes()), [x, axesValue], suffix: "mean")
    let centered = try call.node(Sub(), [x, mean], suffix: "centered")
    let squared = try call.node(Mul(), [centered, centered], suffix: "squared")
    let variance = try call.node(
      ReduceMean(ReductionAttributes()), [squared, axesValue], suffix: "variance")
    let shifted = try call.node(
      Add(), [variance, call.scalar(epsilon, role: "epsilon")], suffix: "variance_epsilon")
    let deviation = try call.node(Sqrt(), [shifted], suffix: "deviation")
    var output = try call.node(Div(), [centered, deviation], suffix: "normalised")
    for (role, tensor) in parameters {
      let op: any Operator = role == "gamma" ? Mul() : Add()
      let suffix = role == "gamma" ? "scaled" : "shifted"
      output = try call.node(op, [output, call.constant(tensor, role: role)], suffix: suffix)
    }
    return output
  }
}
