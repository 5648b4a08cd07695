import GraftIR

/// Builds the IR graph of a Keras model one layer call at a time, typing every node as it is
/// added so converters can read the shapes they need (`same` padding, Flatten sizes).
public struct KerasGraphBuilder: Sendable {
  public private(set) var graph = Graph()
  private var names: Set<String> = []

  /// The layer whose call is being converted, for error messages.
  var currentLayer: (name: String, className: String) = ("", "")

  /// `base`, or `base_1`, `base_2`, … if taken; the name is then reserved.
  public mutating func uniqueName(_ base: String) -> String {
    var name = base
    var suffix = 1
    while names.contains(name) {
      name = "\(base)_\(suffix)"
      suffix += 1
    }
    names.insert(name)
    return name
  }

  /// Adds a graph input in Keras's layout.
  mutating func input(_ name: String, type: ValueType) -> KerasTensor {
    let unique = uniqueName(name)
    graph.inputs.append(ValueInfo(name: unique, type: type))
    graph.types[unique] = type
    return KerasTensor(value: unique)
  }

  /// Adds a constant (a weight) named after `name`; returns its value name.
  public mutating func constant(_ tensor: Tensor, name: String) -> String {
    let unique = uniqueName(name)
    graph.constants[unique] = tensor
    return unique
  }

  /// Adds a node computing `op` on `inputs` ("" for an omitted optional input) with one output
  /// named `output` (made unique), typed at once.
  ///
  /// - Throws: `KerasError.layer` when the op's inference rejects the inputs.
  @discardableResult
  public mutating func node(
    _ op: any Operator, _ inputs: [String], output: String, nodeName: String? = nil
  ) throws -> String {
    let value = uniqueName(output)
    let name = nodeName.map { uniqueName($0) } ?? value
    let node = Node(name: name, op: op, inputs: inputs, outputs: [value])
    do {
      let types = try node.withContext { try op.inferTypes(graph.context(for: node)) }
      graph.types[value] = types.first
    } catch {
      throw KerasError.layer(
        name: currentLayer.name, className: currentLayer.className, "\(error)")
    }
    graph.nodes.append(node)
    return value
  }

  /// The inferred type of a value.
  public func type(of value: String) -> ValueType { graph.type(of: value) ?? .unknown }

  /// The fixed dims of a value after the batch (nil where unknown).
  public func featureShape(_ value: String) -> [Int?] {
    (type(of: value).shape ?? []).dropFirst().map(\.value)
  }

  /// The value in Keras's axis order, adding the Transpose (and reshapes) when it is held
  /// otherwise. Only layers that mix axes in Keras's order (Reshape, Permute, a Dense on a
  /// channels-last feature map) need this; the importer uses it at the model's outputs.
  public mutating func inKerasLayout(_ tensor: KerasTensor) throws -> String {
    switch tensor.layout {
    case .keras:
      return tensor.value
    case .channelsFirst:
      let rank = type(of: tensor.value).shape?.count ?? 0
      return try transposed(tensor.value, KerasLayout.toKeras(rank: rank), suffix: "channels_last")
    case .flattenedChannelsFirst(let unflattened):
      let shape = constant(
        Tensor([Int64(0)] + unflattened.map(Int64.init), shape: [unflattened.count + 1]),
        name: "\(tensor.value)/unflattened_shape")
      let unflat = try node(
        Reshape(), [tensor.value, shape], output: "\(tensor.value)/unflattened")
      let channelsLast = try transposed(
        unflat, KerasLayout.toKeras(rank: unflattened.count + 1), suffix: "channels_last")
      return try node(Flatten(axis: 1), [channelsLast], output: "\(tensor.value)/flat_keras")
    }
  }

  /// The value held channels-first, for a layer computing on a `channels_last` tensor: adds one
  /// Transpose when the tensor is still in Keras's order (at the model's inputs).
  public mutating func channelsFirst(_ tensor: KerasTensor) throws -> String {
    switch tensor.layout {
    case .channelsFirst:
      return tensor.value
    case .keras:
      let rank = type(of: tensor.value).shape?.count ?? 0
      return try transposed(
        tensor.value, KerasLayout.toChannelsFirst(rank: rank), suffix: "channels_first")
    case .flattenedChannelsFirst:
      throw KerasError.layer(
        name: currentLayer.name, className: currentLayer.className,
        "expects a feature map but reads a flattened tensor")
    }
  }

  /// `value` transposed by `perm` into `value/<suffix>`, reusing a Transpose with `perm` that
  /// already reads `value`: a model input read by several channels-last layers is transposed
  /// once.
  private mutating func transposed(_ value: String, _ perm: [Int], suffix: String) throws
    -> String
  {
    let existing = graph.nodes.first { node in
      node.inputs == [value] && (node.op as? Transpose)?.perm == perm
    }
    if let output = existing?.outputs.first { return output }
    return try node(Transpose(perm: perm), [value], output: "\(value)/\(suffix)")
  }

  /// Records how `tensor` is viewed under the Keras name `name` when it is not held in Keras's
  /// layout (see `InterfaceView`), so that cutting at the layer gives Keras's array.
  mutating func recordView(_ name: String, of tensor: KerasTensor) {
    switch tensor.layout {
    case .keras:
      return
    case .channelsFirst:
      let rank = type(of: tensor.value).shape?.count ?? 0
      graph.views[name] = InterfaceView(
        value: tensor.value, permutation: KerasLayout.toKeras(rank: rank))
    case .flattenedChannelsFirst(let unflattened):
      graph.views[name] = InterfaceView(
        value: tensor.value, permutation: KerasLayout.toKeras(rank: unflattened.count + 1),
        unflattened: unflattened)
    }
  }
}

extension KerasGraphBuilder {
  /// Renames the output `value` of the last node that produced it to `name` (made unique) and
  /// returns the new name; the value must not be read yet. Inputs and constants keep their name.
  mutating func rename(_ value: String, to name: String) -> String {
    guard value != name, let index = graph.nodes.lastIndex(where: { $0.outputs.contains(value) }),
      !graph.nodes.contains(where: { $0.inputs.contains(value) }),
      !graph.outputs.contains(where: { $0.name == value })
    else { return value }
    names.remove(value)
    let unique = uniqueName(name)
    graph.nodes[index].outputs = graph.nodes[index].outputs.map { $0 == value ? unique : $0 }
    if graph.nodes[index].name == value { graph.nodes[index].name = unique }
    graph.types[unique] = graph.types.removeValue(forKey: value)
    return unique
  }
}
