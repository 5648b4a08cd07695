import GraftIR

extension KerasLayout {
  /// The IR axis holding Keras axis `axis` (in `0..<rank`) of a tensor of Keras rank `rank`.
  ///
  /// Channels-first holds Keras's `[N, D1, …, Dk, C]` as `[N, C, D1, …, Dk]`: the last Keras axis
  /// is IR axis 1 and spatial axis `a` is `a + 1`. A flattened channels-first tensor keeps its
  /// feature axis 1, but its features are permuted: a result that depends on their order along
  /// that axis needs its constants reordered (`irConstant`) or the input in Keras's layout.
  func irAxis(_ axis: Int, rank: Int) -> Int {
    guard self == .channelsFirst, axis > 0 else { return axis }
    return axis == rank - 1 ? 1 : axis + 1
  }

  /// A constant written for a Keras tensor of this layout (one dim per Keras axis, batch
  /// included, 1 where it broadcasts), with its elements moved to the IR's order.
  ///
  /// Channels-first: the axes are transposed like the tensor. Flattened channels-first: the
  /// constant is `[1, F]` (or `[F]`) over the features, whose Keras order `D1, …, Dk, C` becomes
  /// the IR's `C, D1, …, Dk`; any other constant (one element, broadcast) stays as it is.
  func irConstant(_ tensor: Tensor) -> Tensor {
    switch self {
    case .keras:
      return tensor
    case .channelsFirst:
      return tensor.permutingAxes(Self.toChannelsFirst(rank: tensor.shape.count))
    case .flattenedChannelsFirst(let unflattened):
      guard tensor.count > 1, tensor.count == unflattened.reduce(1, *) else { return tensor }
      let kerasDims = Array(unflattened.dropFirst()) + [unflattened[0]]
      return tensor.reshaped([1] + kerasDims)
        .permutingAxes(Self.toChannelsFirst(rank: unflattened.count + 1))
        .reshaped(tensor.shape)
    }
  }
}

extension KerasLayerCall {
  /// The dims of `tensor` in Keras's axis order, batch first (a flattened tensor is `[N, F]`).
  func kerasShape(_ tensor: KerasTensor) throws -> [Dim] {
    guard let shape = builder.type(of: tensor.value).shape else {
      throw error("the rank of input '\(tensor.value)' is unknown")
    }
    guard tensor.layout == .channelsFirst else { return shape }
    return KerasLayout.toKeras(rank: shape.count).map { shape[$0] }
  }

  /// The Keras dims of `tensor` at `axes`, which must be known.
  func fixedDims(_ tensor: KerasTensor, axes: [Int]) throws -> [Int] {
    let shape = try kerasShape(tensor)
    return try axes.map { axis in
      guard let size = shape[axis].value else {
        throw error("needs a known size on axis \(axis) of its input, got \(shape)")
      }
      return size
    }
  }

  /// The config's axis list (an int or a list of ints, negative counting from the end) as
  /// sorted axes in `0..<rank`; `ifNull` when the field is absent or null.
  func axes(_ key: String, rank: Int, ifNull value: [Int]) throws -> [Int] {
    guard let field = config[key], !field.isNull else { return value }
    let items = field.array ?? [field]
    let axes = try items.map { item in
      guard let axis = item.int, (-rank..<rank).contains(axis) else {
        throw error("'\(key)' should be axes of a rank-\(rank) input, got \(field)")
      }
      return axis < 0 ? axis + rank : axis
    }
    guard Set(axes).count == axes.count else { throw error("'\(key)' repeats an axis: \(field)") }
    return axes.sorted()
  }

  /// The config's one axis (`axis`, an int or a one-int list) in `0..<rank`.
  func singleAxis(_ key: String, rank: Int, default value: Int) throws -> Int {
    let axes = try axes(key, rank: rank, ifNull: [value < 0 ? value + rank : value])
    guard axes.count == 1 else {
      throw error("'\(key)' names several axes \(axes); only one axis is supported")
    }
    return axes[0]
  }

  /// A number or a list of numbers (nested lists flattened), e.g. `Rescaling.scale`.
  func numbers(_ key: String) throws -> [Double]? {
    guard let field = config[key], !field.isNull else { return nil }
    func flatten(_ value: JSONValue) throws -> [Double] {
      if let number = value.double { return [number] }
      guard let items = value.array else { throw error("'\(key)' should be numbers, got \(value)") }
      return try items.flatMap(flatten)
    }
    return try flatten(field)
  }

  /// A scalar constant of the same element type as the layer's float values.
  mutating func scalar(_ value: Float, role: String) -> String {
    constant(Tensor(scalar: value), role: role)
  }

  /// The inputs brought to one layout, for elementwise merges and concatenation: their common
  /// layout when they share one (a flattened one only with `keepFlattened`), channels-first when
  /// channels-first and Keras-order feature maps of one rank meet, Keras's order otherwise.
  mutating func commonLayout(_ inputs: [KerasTensor], keepFlattened: Bool) throws -> (
    values: [String], layout: KerasLayout
  ) {
    let layouts = Set(inputs.map(\.layout))
    let ranks = Set(try inputs.map { try kerasShape($0).count })
    var target = KerasLayout.keras
    if layouts.count == 1, let only = layouts.first {
      if case .flattenedChannelsFirst = only, !keepFlattened {
        target = .keras
      } else {
        return (inputs.map(\.value), only)
      }
    } else if layouts == [.keras, .channelsFirst], ranks.count == 1, (ranks.first ?? 0) >= 3 {
      target = .channelsFirst
    }
    var values: [String] = []
    for input in inputs {
      values.append(
        target == .channelsFirst
          ? try builder.channelsFirst(input) : try builder.inKerasLayout(input))
    }
    return (values, target)
  }
}
