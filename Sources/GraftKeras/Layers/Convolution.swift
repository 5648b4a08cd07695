import GraftIR

/// `Conv1D`, `Conv2D`, `Conv3D` (and the old names `Convolution1D/2D/3D`):
/// `y = activation(conv(x, kernel) + bias)`, grouped, strided, dilated.
///
/// The Keras kernel `[k1, …, kk, C/groups, filters]` becomes the IR weight
/// `[filters, C/groups, k1, …, kk]`; both put group `g`'s filters and input channels in the
/// `g`-th consecutive block, as ONNX Conv does.
enum ConvolutionLayer: KerasLayerConverter {
  static let classNames = [
    "Conv1D", "Conv2D", "Conv3D", "Convolution1D", "Convolution2D", "Convolution3D",
  ]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    let input = try call.featureMapInput(spatialRank: try call.spatialRank())
    let rank = input.spatial.count
    let window = try SlidingWindow(call, input: input, allowCausal: rank == 1)
    let filters = try call.int("filters")
    let groups = try call.int("groups", default: 1)
    let channels = try call.channels(of: input)
    guard groups > 0, channels % groups == 0, filters % groups == 0 else {
      throw call.error(
        "groups \(groups) should divide the \(channels) input channels and \(filters) filters")
    }
    let kernel = try call.weight(
      0, role: "kernel", shape: window.kernel + [channels / groups, filters])
    let inputs = try call.convolutionInputs(input.value, kernel: kernel, filters: filters)
    var output = try call.node(window.conv(group: groups), inputs)
    output = try call.activation(try call.activationName(), output, layout: input.layout)
    return [KerasTensor(value: output, layout: input.layout)]
  }
}
