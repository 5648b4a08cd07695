import GraftIR

/// `Rescaling(scale, offset)`: `y = x·scale + offset`, the input cast to float32 first (images
/// arrive as integers). `scale` and `offset` are numbers, or lists broadcast along the last
/// Keras axis; a factor of 1 or an offset of 0 adds no node.
enum RescalingLayer: KerasLayerConverter {
  static let classNames = ["Rescaling"]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    let input = try call.singleInput()
    let rank = try call.kerasShape(input).count
    var output = try call.floatInput(input)
    for (key, op, neutral) in [("scale", Mul() as any Operator, 1.0), ("offset", Add(), 0.0)] {
      let values = try call.numbers(key) ?? [neutral]
      guard values.contains(where: { $0 != neutral }) else { continue }
      var shape = Array(repeating: 1, count: rank)
      shape[rank - 1] = values.count
      let tensor = input.layout.irConstant(Tensor(values.map(Float.init), shape: shape))
      let suffix = key == "scale" ? "scaled" : "shifted"
      output = try call.node(op, [output, call.constant(tensor, role: key)], suffix: suffix)
    }
    if output == input.value { output = try call.node(Identity(), [output]) }
    return [KerasTensor(value: output, layout: input.layout)]
  }
}

/// The preprocessing `Normalization(axis, mean, variance, invert)`:
/// `y = (x − mean) / max(sqrt(variance), 1e-7)`, or `y = mean + x·max(sqrt(variance), 1e-7)` with
/// `invert` (1e-7 is Keras's `epsilon()`).
///
/// `mean` and `variance` come from the config when given there (a number, or one value per
/// element of the kept axes), else from the weights `mean`, `variance` (and `count`, unused),
/// shaped like the kept axes `axis` (Keras axes; null keeps none: one mean for everything). They
/// are broadcast over the other axes and moved to the input's IR layout.
enum NormalizationLayer: KerasLayerConverter {
  static let classNames = ["Normalization"]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    let input = try call.singleInput()
    let rank = try call.kerasShape(input).count
    let kept = try call.axes("axis", rank: rank, ifNull: [])
    guard !kept.contains(0) else { throw call.error("cannot keep the batch axis") }
    let dims = try call.fixedDims(input, axes: kept)
    var shape = Array(repeating: 1, count: rank)
    for (axis, size) in zip(kept, dims) { shape[axis] = size }
    let count = dims.reduce(1, *)
    func statistic(_ index: Int, _ key: String) throws -> [Float] {
      let values = try call.numbers(key) ?? call.weight(index, role: key).doubles()
      guard values.count == count || values.count == 1 else {
        throw call.error("has \(values.count) \(key) values for axes of shape \(dims)")
      }
      return values.count == count
        ? values.map(Float.init) : Array(repeating: Float(values[0]), count: count)
    }
    let mean = try statistic(0, "mean")
    let deviation = try statistic(1, "variance").map { max($0.squareRoot(), 1e-7) }
    func constant(_ values: [Float], _ role: String) -> String {
      call.constant(input.layout.irConstant(Tensor(values, shape: shape)), role: role)
    }
    let x = try call.floatInput(input)
    let output: String
    if try call.bool("invert", default: false) {
      let scaled = try call.node(Mul(), [x, constant(deviation, "deviation")], suffix: "scaled")
      output = try call.node(Add(), [scaled, constant(mean, "mean")])
    } else {
      let centered = try call.node(Sub(), [x, constant(mean, "mean")], suffix: "centered")
      output = try call.node(Div(), [centered, constant(deviation, "deviation")])
    }
    return [KerasTensor(value: output, layout: input.layout)]
  }
}

extension KerasLayerCall {
  /// The input's value as float32, cast when it holds integers (Keras casts to the layer's
  /// compute dtype).
  mutating func floatInput(_ input: KerasTensor) throws -> String {
    guard let dtype = builder.type(of: input.value).dtype, !dtype.isFloatingPoint else {
      return input.value
    }
    return try node(Cast(to: .float32), [input.value], suffix: "cast")
  }
}
