/// How a spatial feature map becomes one vector per sample.
public enum FeaturePooling: String, CaseIterable, Codable, Sendable {
  /// The mean over the spatial axes (global average pooling).
  case avg
  /// The maximum over the spatial axes.
  case max
  /// The map as it is.
  case none
}

extension Graph {
  /// The trunk that computes the features of `layers`: the graph cut at them, each output
  /// reduced by `pool` over its spatial axes. Outputs are in `layers` order.
  ///
  /// The spatial axes are all but the batch and the channel axis. The channel axis of an ONNX
  /// value is 1 (NCHW, the IR's canonical layout). A Keras layer (`channelsLast`) held in the
  /// IR with channels first (a view, see `InterfaceView`) is pooled on that IR value, which
  /// holds the same numbers, so the vector is `[N, C]` in the layer's channel order as Keras's
  /// `GlobalAveragePooling2D` gives it; a Keras layer held in Keras's own layout (a sequence
  /// `[N, T, D]`) has its channels last. Values of rank 2 or less pass unchanged; `none` gives
  /// each layer as `cut(at:)` does.
  ///
  /// - Parameter channelsLast: whether names that are not views hold channels last (Keras).
  /// - Throws: `GraphError` for a name that matches no value, view or node.
  public func featureTrunk(layers: [String], pool: FeaturePooling, channelsLast: Bool = false)
    throws -> Graph
  {
    // The value each layer is pooled on, and the channel axis of that value (-1: the last).
    var sources: [(value: String, channelAxis: Int)] = []
    for layer in layers {
      if pool != .none, let view = views[layer], view.unflattened == nil, type(of: layer) == nil {
        sources.append((view.value, view.permutation.last ?? 1))
      } else {
        sources.append((layer, channelsLast ? -1 : 1))
      }
    }
    var trunk = try cut(at: sources.map(\.value))
    guard pool != .none else { return trunk }
    var outputs: [ValueInfo] = []
    for ((layer, source), output) in zip(zip(layers, sources), trunk.outputs) {
      guard let rank = output.type.rank, rank > 2 else {
        outputs.append(output)
        continue
      }
      let channelAxis = source.channelAxis < 0 ? rank - 1 : source.channelAxis
      let axes = (1..<rank).filter { $0 != channelAxis }.map(Int64.init)
      let (axesName, pooled) = (
        "\(layer)/\(pool.rawValue)_pool_axes", "\(layer)/\(pool.rawValue)_pool"
      )
      trunk.constants[axesName] = Tensor(axes, shape: [axes.count])
      let op: any Operator =
        pool == .avg ? ReduceMean(keepdims: false) : ReduceMax(keepdims: false)
      trunk.nodes.append(
        Node(name: pooled, op: op, inputs: [output.name, axesName], outputs: [pooled]))
      outputs.append(ValueInfo(name: pooled, type: .unknown))
    }
    trunk.outputs = outputs
    try trunk.inferTypes()
    trunk.outputs = outputs.map {
      ValueInfo(name: $0.name, type: trunk.type(of: $0.name) ?? .unknown)
    }
    return trunk
  }
}
