import GraftIR

/// The window of a Keras convolution or pooling layer, its `padding` made explicit.
///
/// `valid` pads nothing. `same` follows TensorFlow: per spatial axis `out = ceil(in / s)`,
/// `total = max((out − 1)·s + (k − 1)·d + 1 − in, 0)`, `total / 2` (floor) before and the rest
/// after; where an input size is unknown the same rule is left to ONNX's `SAME_UPPER`, which
/// is that rule. `causal` (Conv1D) pads `(k − 1)·d` before and nothing after.
struct SlidingWindow {
  var kernel: [Int]
  var strides: [Int]
  var dilations: [Int]
  /// Whether `padding` is `same` (transposed convolutions place their output by it).
  var isSame = false
  var autoPad: AutoPad
  var pads: [Int]?

  /// Reads for `input` a convolution's `kernel_size`, `strides` (default 1) and
  /// `dilation_rate`, or a pooling's `pool_size` and `strides` (default: the pool size); then
  /// `padding`.
  init(
    _ call: KerasLayerCall, input: FeatureMap, pooling: Bool = false, allowCausal: Bool = false
  ) throws {
    let rank = input.spatial.count
    let ones = Array(repeating: 1, count: rank)
    let kernelKey = pooling ? "pool_size" : "kernel_size"
    kernel = try call.ints(kernelKey, rank: rank)
    strides = try call.ints("strides", rank: rank, default: pooling ? kernel : ones)
    dilations = pooling ? ones : try call.ints("dilation_rate", rank: rank, default: ones)
    guard (kernel + strides + dilations).allSatisfy({ $0 > 0 }) else {
      throw call.error(
        "\(kernelKey) \(kernel), strides \(strides) and dilation_rate \(dilations) should be "
          + "positive")
    }
    if dilations != ones && strides != ones {
      throw call.error(
        "dilation_rate \(dilations) with strides \(strides): TensorFlow does not run a dilated "
          + "window with strides > 1")
    }
    autoPad = .notSet
    let spans = (0..<rank).map { dilations[$0] * (kernel[$0] - 1) + 1 }
    switch try call.string("padding", default: "valid").lowercased() {
    case "valid":
      pads = Array(repeating: 0, count: 2 * rank)
    case "same":
      isSame = true
      let sizes = input.spatial.compactMap { $0 }
      if sizes.count == rank {
        let totals = (0..<rank).map { axis in
          let output = (sizes[axis] + strides[axis] - 1) / strides[axis]
          return max((output - 1) * strides[axis] + spans[axis] - sizes[axis], 0)
        }
        pads = totals.map { $0 / 2 } + totals.map { $0 - $0 / 2 }
      } else {
        autoPad = .sameUpper
      }
    case "causal" where allowCausal:
      pads = spans.map { $0 - 1 } + Array(repeating: 0, count: rank)
    case let other:
      throw call.error(
        "unsupported padding '\(other)' (expected "
          + (allowCausal ? "'valid', 'same' or 'causal')" : "'valid' or 'same')"))
    }
  }

  /// A Conv over this window with `group` groups.
  func conv(group: Int) -> Conv {
    Conv(
      autoPad: autoPad, dilations: dilations, group: group, kernelShape: kernel, pads: pads,
      strides: strides)
  }
}
