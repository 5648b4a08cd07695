import GraftIR

/// `DepthwiseConv1D`, `DepthwiseConv2D`: each input channel convolved with its own
/// `depth_multiplier` filters, `y = activation(depthwise(x) + bias)`.
enum DepthwiseConvolutionLayer: KerasLayerConverter {
  static let classNames = ["DepthwiseConv1D", "DepthwiseConv2D"]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    let input = try call.featureMapInput(spatialRank: try call.spatialRank())
    let window = try SlidingWindow(call, input: input)
    var output = try call.depthwiseConvolution(
      input, window: window, bias: try call.bool("use_bias", default: true)
    ).value
    output = try call.activation(try call.activationName(), output, layout: input.layout)
    return [KerasTensor(value: output, layout: input.layout)]
  }
}

extension KerasLayerCall {
  /// The depthwise convolution of `input` with weight 0 (`[k1, …, kk, C, multiplier]`) and,
  /// when `bias`, weight 1 (`[C·multiplier]`), as a Conv with `C` groups.
  ///
  /// Output channel `c·multiplier + m` is input channel `c` convolved with kernel
  /// `[…, c, m]`: the Keras kernel, read as `[k…, C·multiplier]`, becomes the IR weight
  /// `[C·multiplier, 1, k1, …, kk]`. Returns the output and its channel count `C·multiplier`.
  mutating func depthwiseConvolution(
    _ input: FeatureMap, window: SlidingWindow, bias: Bool
  ) throws -> (value: String, channels: Int) {
    let rank = input.spatial.count
    let channels = try channels(of: input)
    let multiplier = try int("depth_multiplier", default: 1)
    guard multiplier > 0 else { throw error("depth_multiplier should be positive") }
    let outputs = channels * multiplier
    let kernel = try weight(
      0, role: "depthwise kernel", shape: window.kernel + [channels, multiplier])
    let irKernel = kernel.reshaped(window.kernel + [outputs])
      .permutingAxes([rank] + Array(0..<rank))
      .reshaped([outputs, 1] + window.kernel)
    var inputs = [input.value, constant(irKernel, role: "depthwise_kernel")]
    if bias {
      inputs.append(constant(try weight(1, role: "bias", shape: [outputs]), role: "bias"))
    }
    return (try node(window.conv(group: channels), inputs, suffix: "depthwise"), outputs)
  }
}
