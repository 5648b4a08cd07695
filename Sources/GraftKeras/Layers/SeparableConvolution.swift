import GraftIR

/// `SeparableConv1D`, `SeparableConv2D`: a depthwise convolution (no bias) then a pointwise
/// (1×1) convolution to `filters` channels with the bias, then the activation.
///
/// The pointwise kernel `[1, …, 1, C·multiplier, filters]` becomes the IR weight
/// `[filters, C·multiplier, 1, …, 1]`.
enum SeparableConvolutionLayer: KerasLayerConverter {
  static let classNames = ["SeparableConv1D", "SeparableConv2D"]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    let input = try call.featureMapInput(spatialRank: try call.spatialRank())
    let rank = input.spatial.count
    let window = try SlidingWindow(call, input: input)
    let filters = try call.int("filters")
    let (depthwise, depth) = try call.depthwiseConvolution(input, window: window, bias: false)
    let ones = Array(repeating: 1, count: rank)
    let pointwise = try call.weight(1, role: "pointwise kernel", shape: ones + [depth, filters])
    var inputs = [
      depthwise,
      call.constant(
        pointwise.reshaped([depth, filters]).permutingAxes([1, 0])
          .reshaped([filters, depth] + ones), role: "pointwise_kernel"),
    ]
    if try call.bool("use_bias", default: true) {
      inputs.append(
        call.constant(try call.weight(2, role: "bias", shape: [filters]), role: "bias"))
    }
    var output = try call.node(Conv(kernelShape: ones), inputs, suffix: "pointwise")
    output = try call.activation(try call.activationName(), output, layout: input.layout)
    return [KerasTensor(value: output, layout: input.layout)]
  }
}
