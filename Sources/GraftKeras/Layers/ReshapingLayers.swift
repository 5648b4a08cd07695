import GraftIR

/// `Flatten`: `[N, D…]` to `[N, ∏D]`.
///
/// The flattening of a channels-first value is kept as `.flattenedChannelsFirst` (its features
/// in `C, D1, …` order) with no Transpose; a following Dense permutes its kernel rows instead.
/// With `data_format="channels_first"` Keras first moves the channel axis 1 of its input last,
/// so the input's Keras-order value `[N, C, D…]` is exactly the channels-first holding of what
/// Keras flattens. A rank-2 input is left as it is.
enum FlattenLayer: KerasLayerConverter {
  static let classNames = ["Flatten"]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    var input = try call.singleInput()
    let rank = try call.kerasShape(input).count
    if rank <= 2 {
      return [KerasTensor(value: try call.node(Identity(), [input.value]), layout: input.layout)]
    }
    if try !call.channelsLast() {
      // Keras's channels-last transpose of its input is held, channels-first, as that input.
      input = KerasTensor(value: try call.builder.inKerasLayout(input), layout: .channelsFirst)
    }
    let flat = try call.node(Flatten(axis: 1), [input.value])
    guard input.layout == .channelsFirst else { return [KerasTensor(value: flat)] }
    let dims = call.builder.featureShape(input.value)
    let unflattened = dims.compactMap { $0 }
    guard unflattened.count == rank - 1 else {
      throw call.error("needs the sizes of its input's axes, got \(dims)")
    }
    return [KerasTensor(value: flat, layout: .flattenedChannelsFirst(unflattened: unflattened))]
  }
}

/// `Reshape(target_shape)`: the Keras-order tensor reshaped to `[N] + target_shape` (one entry
/// may be −1).
enum ReshapeLayer: KerasLayerConverter {
  static let classNames = ["Reshape"]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    let input = try call.singleInput()
    guard let target = call.config["target_shape"]?.array?.compactMap(\.int),
      target.count == call.config["target_shape"]?.array?.count
    else { throw call.error("'target_shape' should be a list of integers") }
    let value = try call.builder.inKerasLayout(input)
    let shape = call.constant(
      Tensor([Int64(0)] + target.map(Int64.init), shape: [target.count + 1]), role: "shape")
    return [KerasTensor(value: try call.node(Reshape(), [value, shape]))]
  }
}

/// `Permute(dims)`: Keras axes reordered as `[0] + dims` (1-based feature axes).
///
/// A channels-first input is permuted in one Transpose composed with its layout: the result is
/// held in Keras's order or channels-first, whichever needs no Transpose, else channels-first
/// when the channel axis stays last, else in Keras's order.
enum PermuteLayer: KerasLayerConverter {
  static let classNames = ["Permute"]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    var input = try call.singleInput()
    if case .flattenedChannelsFirst = input.layout {
      input = KerasTensor(value: try call.builder.inKerasLayout(input))
    }
    let rank = try call.kerasShape(input).count
    guard let dims = call.config["dims"]?.array?.compactMap(\.int),
      dims.sorted() == Array(1..<rank)
    else {
      throw call.error(
        "'dims' should order the axes 1…\(rank - 1), got \(call.config["dims"] ?? .null)")
    }
    let kerasPerm = [0] + dims
    // IR axis of each Keras axis of the input.
    let source = input.layout == .channelsFirst ? KerasLayout.toKeras(rank: rank) : Array(0..<rank)
    let asKeras = kerasPerm.map { source[$0] }
    let asChannelsFirst = KerasLayout.toChannelsFirst(rank: rank).map { asKeras[$0] }
    let identity = Array(0..<rank)
    let keepsChannelsLast = input.layout == .channelsFirst && kerasPerm.last == rank - 1
    let (perm, layout): ([Int], KerasLayout) =
      asKeras == identity || (!keepsChannelsLast && asChannelsFirst != identity)
      ? (asKeras, .keras) : (asChannelsFirst, .channelsFirst)
    let op: any Operator = perm == identity ? Identity() : Transpose(perm: perm)
    return [KerasTensor(value: try call.node(op, [input.value]), layout: layout)]
  }
}
