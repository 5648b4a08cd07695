import GraftIR

/// `Conv1DTranspose`, `Conv2DTranspose`, `Conv3DTranspose` (and the old names
/// `Deconvolution2D/3D`, `Convolution2DTranspose`): `y = activation(convT(x, kernel) + bias)`.
///
/// The Keras kernel `[k1, …, kk, filters, C]` becomes the IR weight `[C, filters, k1, …, kk]`.
/// Keras sizes the output per axis (`span = d·(k − 1) + 1`, `op` the `output_padding`):
/// `valid` → `(in − 1)·s + max(span, s)`, or `(in − 1)·s + span + op`; `same` → `in·s`, or
/// `(in − 1)·s + span mod 2 + op`. TensorFlow then places the input as the forward
/// convolution from that output would: `valid` pads nothing, `same` drops
/// `total = max((in − 1)·s + span − out, 0)` cells, `total / 2` of them at the start. The IR pads
/// and output_padding say the same: `excess = (in − 1)·s + span − out` (independent of `in`),
/// `begin = max(excess, 0) / 2`, and the rest `excess − begin` cropped at the end when
/// positive, added as output_padding when negative. (The window's own pads, those of a forward
/// convolution, are not used.)
enum ConvolutionTransposeLayer: KerasLayerConverter {
  static let classNames = [
    "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose", "Convolution2DTranspose",
    "Convolution3DTranspose", "Deconvolution2D", "Deconvolution3D",
  ]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    let input = try call.featureMapInput(spatialRank: try call.spatialRank())
    let rank = input.spatial.count
    let window = try SlidingWindow(call, input: input)
    guard try call.int("groups", default: 1) == 1 else {
      throw call.error("groups other than 1 are not supported")
    }
    let outputPadding =
      call.config["output_padding"]?.isNull == false
      ? try call.ints("output_padding", rank: rank) : nil
    var begins: [Int] = []
    var ends: [Int] = []
    var extra: [Int] = []
    for axis in 0..<rank {
      let span = window.dilations[axis] * (window.kernel[axis] - 1) + 1
      let stride = window.strides[axis]
      if let padding = outputPadding?[axis], !(0..<stride).contains(padding) {
        throw call.error(
          "output_padding \(outputPadding ?? []) should be at least 0 and less than the strides")
      }
      let excess: Int
      switch (window.isSame, outputPadding?[axis]) {
      case (false, nil): excess = span - max(span, stride)
      case (false, let padding?): excess = -padding
      case (true, nil): excess = span - stride
      case (true, let padding?): excess = span - span % 2 - padding
      }
      let begin = max(excess, 0) / 2
      begins.append(begin)
      ends.append(max(excess - begin, 0))
      extra.append(max(begin - excess, 0))
    }
    let filters = try call.int("filters")
    let channels = try call.channels(of: input)
    let kernel = try call.weight(0, role: "kernel", shape: window.kernel + [filters, channels])
    let inputs = try call.convolutionInputs(input.value, kernel: kernel, filters: filters)
    let op = ConvTranspose(
      dilations: window.dilations, kernelShape: window.kernel, outputPadding: extra,
      pads: begins + ends, strides: window.strides)
    var output = try call.node(op, inputs)
    output = try call.activation(try call.activationName(), output, layout: input.layout)
    return [KerasTensor(value: output, layout: input.layout)]
  }
}
