/// A value as the source framework lays it out, where the IR keeps it in another layout.
///
/// A Keras `channels_last` layer computes `[N, H, W, C]`; the IR holds the same value as
/// `[N, C, H, W]`. The view, named after the Keras layer, says how to get the framework's value
/// from the IR's: when `unflattened` is set (the IR value is `[N, Πunflattened]`, e.g. the output
/// of a Flatten of a channels-first value) reshape it to `[N] + unflattened` first; transpose by
/// `permutation`; then flatten back to `[N, −1]` if it was unflattened. Cutting at a view's name
/// adds those nodes, so a cut returns what the framework itself would.
public struct InterfaceView: Hashable, Sendable {
  /// The IR value the view reads.
  public var value: String
  /// The IR axis of each framework axis (an ONNX Transpose `perm`).
  public var permutation: [Int]
  /// For a flattened IR value, its dims after the batch before flattening (IR order).
  public var unflattened: [Int]?

  public init(value: String, permutation: [Int], unflattened: [Int]? = nil) {
    self.value = value
    self.permutation = permutation
    self.unflattened = unflattened
  }
}

extension Graph {
  /// Appends the nodes computing view `name` from its IR value; the result is the value `name`.
  ///
  /// - Throws: `GraphError.invalidGraph` when there is no such view.
  public mutating func materializeView(_ name: String) throws {
    guard let view = views[name] else {
      throw GraphError.invalidGraph("'\(name)' is not a view of an IR value")
    }
    var current = view.value
    if let unflattened = view.unflattened {
      let shape = "\(name)/unflattened_shape"
      constants[shape] = Tensor(
        [Int64(0)] + unflattened.map(Int64.init), shape: [1 + unflattened.count])
      nodes.append(
        Node(
          name: "\(name)/unflatten", op: Reshape(), inputs: [current, shape],
          outputs: ["\(name)/unflattened"]))
      current = "\(name)/unflattened"
    }
    let transposed = view.unflattened == nil ? name : "\(name)/transposed"
    nodes.append(
      Node(
        name: "\(name)/to_source_layout", op: Transpose(perm: view.permutation),
        inputs: [current], outputs: [transposed]))
    if view.unflattened != nil {
      nodes.append(
        Node(name: "\(name)/flatten", op: Flatten(axis: 1), inputs: [transposed], outputs: [name]))
    }
  }
}
