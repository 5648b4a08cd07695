import GraftIR

/// `TimeDistributed(layer)`: the wrapped layer (its config under `layer`, its weights the
/// wrapper's) applied to every step of axis 1, `[N, T, …] → [N, T, …']`.
///
/// A Dense already works on the last axis of any rank (MatMul), so it runs on the whole
/// `[N, T, F]` input. Any other layer runs on the time axis folded into the batch: the input is
/// reshaped to `[N·T, …]` (a channels-first `[N, C, T, D…]` is first transposed to
/// `[N, T, C, D…]`, then held channels-first as `[N·T, C, D…]`), and the layer's output is
/// reshaped back to `[N, T, …']` (a channels-first `[N·T, C', D'…]` to `[N, T, C', D'…]`, then
/// transposed to the channels-first `[N, C', T, D'…]`; a following TimeDistributed reads the
/// time-major value before that Transpose). The time axis must have a known size.
enum TimeDistributedLayer: KerasLayerConverter {
  static let classNames = ["TimeDistributed"]

  /// Supported when the wrapped layer is (so a wrapped Lambda is listed with the others).
  static func supports(_ layer: KerasLayerConfig) -> Bool {
    guard let wrapped = wrappedLayer(layer), let converter = converter(for: wrapped) else {
      return false
    }
    return converter.supports(wrapped)
  }

  /// The wrapped layer's config (`config.layer`), with no calls of its own.
  private static func wrappedLayer(_ layer: KerasLayerConfig) -> KerasLayerConfig? {
    guard let inner = layer.config["layer"], let className = inner["class_name"]?.string else {
      return nil
    }
    let innerConfig = inner["config"] ?? .object([:])
    return KerasLayerConfig(
      className: className, name: innerConfig["name"]?.string ?? className, config: innerConfig,
      calls: [], nestedModel: nil)
  }

  /// The converter of a wrapped layer class; models cannot be wrapped.
  private static func converter(for layer: KerasLayerConfig) -> (any KerasLayerConverter.Type)? {
    guard !KerasModelConfig.modelClassNames.contains(layer.className) else { return nil }
    return KerasLayers.all.first { $0.classNames.contains(layer.className) }
  }

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    let input = try call.singleInput()
    guard let layer = wrappedLayer(call.layer) else {
      throw call.error("has no wrapped 'layer' config")
    }
    let className = layer.className
    guard let converter = converter(for: layer) else {
      throw call.error("wraps a '\(className)' layer, which is not supported")
    }
    let rank = try call.kerasShape(input).count
    guard rank >= 3, let steps = try call.kerasShape(input)[1].value else {
      throw call.error("needs an input of rank ≥ 3 with a known time axis, got rank \(rank)")
    }
    let folds = className != "Dense"
    var wrapped = KerasLayerCall(
      layer: layer, inputs: [folds ? try fold(&call, input, rank: rank) : input],
      weights: call.weights, builder: call.builder, name: "\(call.name)/\(layer.name)",
      kerasMajorVersion: call.kerasMajorVersion, weightProblems: call.weightProblems)
    let outputs = try converter.convert(&wrapped)
    call.builder = wrapped.builder
    guard outputs.count == 1 else {
      throw call.error("its '\(className)' layer gives \(outputs.count) outputs, expected 1")
    }
    return [folds ? try unfold(&call, outputs[0], steps: steps) : outputs[0]]
  }

  /// `[N, T, …]` as `[N·T, …]`, channels-first when the input is.
  private static func fold(_ call: inout KerasLayerCall, _ input: KerasTensor, rank: Int) throws
    -> KerasTensor
  {
    var value = input.value
    var layout = KerasLayout.keras
    switch input.layout {
    case .keras:
      break
    case .channelsFirst:
      var perm = Array(0..<rank)
      perm.swapAt(1, 2)
      // The output of an earlier TimeDistributed is that swap of a time-major value: read it.
      let producer = call.builder.graph.nodes.last { $0.outputs == [value] }
      if let producer, (producer.op as? Transpose)?.perm == perm {
        value = producer.inputs[0]
      } else {
        value = try call.node(Transpose(perm: perm), [value], suffix: "time_major")
      }
      layout = rank > 3 ? .channelsFirst : .keras
    case .flattenedChannelsFirst:
      throw call.error("needs an input of rank ≥ 3, got a flattened tensor")
    }
    let dims = call.builder.featureShape(value).dropFirst()
    let sizes = dims.compactMap { $0 }
    guard sizes.count == dims.count else {
      throw call.error("needs the sizes of its input's axes after the time axis, got \(dims)")
    }
    let shape = [Int64(-1)] + sizes.map(Int64.init)
    let target = call.constant(Tensor(shape, shape: [shape.count]), role: "folded_shape")
    return KerasTensor(
      value: try call.node(Reshape(), [value, target], suffix: "folded"), layout: layout)
  }

  /// `[N·T, …']` back to `[N, T, …']`; a channels-first result ends channels-first.
  private static func unfold(_ call: inout KerasLayerCall, _ output: KerasTensor, steps: Int)
    throws -> KerasTensor
  {
    var value = output.value
    if case .flattenedChannelsFirst = output.layout {
      value = try call.builder.inKerasLayout(output)
    }
    let dims = call.builder.featureShape(value)
    let sizes = dims.compactMap { $0 }
    guard sizes.count == dims.count else {
      throw call.error("needs the sizes of its layer's output axes, got \(dims)")
    }
    let shape = [Int64(-1), Int64(steps)] + sizes.map(Int64.init)
    let target = call.constant(Tensor(shape, shape: [shape.count]), role: "unfolded_shape")
    value = try call.node(Reshape(), [value, target], suffix: "unfolded")
    guard output.layout == .channelsFirst else { return KerasTensor(value: value) }
    var perm = Array(0..<shape.count)
    perm.swapAt(1, 2)
    return KerasTensor(
      value: try call.node(Transpose(perm: perm), [value], suffix: "channels_first"),
      layout: .channelsFirst)
  }
}
