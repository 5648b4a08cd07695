import GraftIR

/// A convolution-family layer's input held channels-first, `[N, C, D1, …, Dk]`, with the layout
/// the layer's outputs take.
///
/// A `channels_last` layer reads its input channels-first (`.channelsFirst` outputs); a
/// `channels_first` layer computes in Keras's own order (`.keras` outputs), which is already
/// channels-first.
struct FeatureMap {
  var value: String
  var layout: KerasLayout
  /// C, nil when unknown.
  var channels: Int?
  /// D1 … Dk, nil where unknown.
  var spatial: [Int?]
}

extension KerasLayerCall {
  /// The number of spatial axes of a `…1D`, `…2D` or `…3D` layer, from its class name.
  func spatialRank() throws -> Int {
    for rank in 1...3 where layer.className.contains("\(rank)D") { return rank }
    throw error("cannot tell the spatial rank from the class name")
  }

  /// The single input as a channels-first value of rank `spatialRank + 2`, by `data_format`.
  mutating func featureMapInput(spatialRank: Int) throws -> FeatureMap {
    let input = try singleInput()
    let channelsLast = try channelsLast()
    let value =
      channelsLast ? try builder.channelsFirst(input) : try builder.inKerasLayout(input)
    guard let shape = builder.type(of: value).shape, shape.count == spatialRank + 2 else {
      throw error(
        "expects a rank-\(spatialRank + 2) input, got "
          + (builder.type(of: value).shape?.shapeDescription ?? "an unknown shape"))
    }
    return FeatureMap(
      value: value, layout: channelsLast ? .channelsFirst : .keras, channels: shape[1].value,
      spatial: shape.dropFirst(2).map(\.value))
  }

  /// The input's channel count, which the layer's weights need.
  func channels(of input: FeatureMap) throws -> Int {
    guard let channels = input.channels else { throw error("the input's channel count is unknown") }
    return channels
  }

  /// One non-negative `(begin, end)` amount per spatial axis from a `padding`/`cropping` field:
  /// an int for every side, one int per axis for both its sides, or a `(begin, end)` pair per
  /// axis (for one axis also a bare pair).
  func sideAmounts(_ key: String, rank: Int) throws -> [(begin: Int, end: Int)] {
    let field = config[key] ?? .null
    let invalid = error(
      "'\(key)' should be an int, \(rank) ints or \(rank) (begin, end) pairs, got \(field)")
    if let amount = field.int { return Array(repeating: (amount, amount), count: rank) }
    guard let items = field.array else { throw invalid }
    var amounts: [(begin: Int, end: Int)]
    if rank == 1, items.count == 2, let begin = items[0].int, let end = items[1].int {
      amounts = [(begin, end)]
    } else {
      guard items.count == rank else { throw invalid }
      amounts = try items.map { item in
        if let amount = item.int { return (amount, amount) }
        guard let pair = item.array, pair.count == 2, let begin = pair[0].int,
          let end = pair[1].int
        else { throw invalid }
        return (begin, end)
      }
    }
    guard amounts.allSatisfy({ $0.begin >= 0 && $0.end >= 0 }) else { throw invalid }
    return amounts
  }
}

extension KerasLayerCall {
  /// The inputs of an IR convolution: `x`, the Keras kernel `[k1, …, kr, a, b]` as
  /// `[b, a, k1, …, kr]` (HWIO → OIHW for Conv, HWOI → IOHW for ConvTranspose), and the bias of
  /// `filters` values when `use_bias` (the default).
  mutating func convolutionInputs(_ x: String, kernel: Tensor, filters: Int) throws -> [String] {
    let rank = kernel.shape.count - 2
    var inputs = [
      x, constant(kernel.permutingAxes([rank + 1, rank] + Array(0..<rank)), role: "kernel"),
    ]
    if try bool("use_bias", default: true) {
      inputs.append(constant(try weight(1, role: "bias", shape: [filters]), role: "bias"))
    }
    return inputs
  }
}
