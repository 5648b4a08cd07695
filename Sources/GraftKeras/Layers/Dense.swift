import GraftIR

/// `Dense`: `y = activation(x · kernel + bias)` over the last axis, kernel `[in, units]`.
///
/// After a Flatten of a channels-first feature map the IR's features are in `C, D1, …` order
/// while the kernel's rows follow Keras's `D1, …, C` order: the rows are permuted once here
/// instead of transposing the features at run time.
enum DenseLayer: KerasLayerConverter {
  static let classNames = ["Dense"]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    var input = try call.singleInput()
    let units = try call.int("units")
    let useBias = try call.bool("use_bias", default: true)
    if input.layout == .channelsFirst {
      input = KerasTensor(value: try call.builder.inKerasLayout(input))
    }
    let features = call.builder.featureShape(input.value).last ?? nil
    guard let features else { throw call.error("the input's last dim is unknown") }
    var kernel = try call.weight(0, role: "kernel", shape: [features, units])
    if case .flattenedChannelsFirst(let unflattened) = input.layout {
      kernel = permutingRows(kernel, channelsFirst: unflattened)
    }
    let rank = call.builder.type(of: input.value).shape?.count ?? 2
    var output: String
    if rank == 2 {
      var inputs = [input.value, call.constant(kernel, role: "kernel")]
      if useBias {
        inputs.append(call.constant(try call.weight(1, role: "bias", shape: [units]), role: "bias"))
      }
      output = try call.node(Gemm(), inputs)
    } else {
      output = try call.node(MatMul(), [input.value, call.constant(kernel, role: "kernel")])
      if useBias {
        let bias = call.constant(try call.weight(1, role: "bias", shape: [units]), role: "bias")
        output = try call.node(Add(), [output, bias], suffix: "bias")
      }
    }
    output = try call.activation(try call.activationName(), output, layout: .keras)
    return [KerasTensor(value: output)]
  }

  /// The kernel with row `r` of the channels-first flattening taken from the Keras row of the
  /// same feature: for IR dims `[C, D1, …, Dk]`, IR row `(c, d)` is Keras row `(d, c)`.
  static func permutingRows(_ kernel: Tensor, channelsFirst dims: [Int]) -> Tensor {
    let units = kernel.shape[1]
    let values = kernel.elements(as: Float.self)
    let channels = dims[0]
    let spatial = dims.dropFirst().reduce(1, *)
    var permuted = [Float](repeating: 0, count: values.count)
    for c in 0..<channels {
      for d in 0..<spatial {
        let irRow = c * spatial + d
        let kerasRow = d * channels + c
        for u in 0..<units { permuted[irRow * units + u] = values[kerasRow * units + u] }
      }
    }
    return Tensor(permuted, shape: kernel.shape)
  }
}
