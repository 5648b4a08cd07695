/// One call of a layer in a functional model: Keras's node `[layer, call]`.
struct KerasNode: Hashable {
  var layer: String
  var call: Int
}

/// The part of a functional model that the first output of a layer's first call depends on:
/// its ancestor calls, and how the references between them change once the calls that are not
/// ancestors are dropped.
///
/// Keras numbers a layer's calls by their order in its `inbound_nodes`; a shared layer keeps
/// only its ancestor calls, so references to its later calls move down by the number of
/// dropped calls before them.
struct KerasTrunkCut {
  let config: KerasModelConfig
  /// The cut layer's node: its first call.
  let cutNode: KerasNode
  /// The kept call indices of each kept layer (an InputLayer has the one call 0).
  let keptCalls: [String: Set<Int>]
  /// The layers in the order Keras lists them in the cut model (see `kerasLayerOrder`).
  let layerOrder: [String]
  private let layers: [String: KerasLayerConfig]

  /// - Throws: `KerasError.invalidModel` when no top-level layer is `cut` (naming the nested
  ///   model when one holds it).
  init(config: KerasModelConfig, cut: String) throws {
    self.config = config
    layers = Dictionary(config.layers.map { ($0.name, $0) }) { first, _ in first }
    guard let cutLayer = layers[cut] else { throw Self.missing(cut, in: config) }
    cutNode = KerasNode(layer: cut, call: 0)
    guard cutLayer.className == "InputLayer" || !cutLayer.calls.isEmpty else {
      throw KerasError.layer(name: cut, className: cutLayer.className, "is never called")
    }
    var kept: [String: Set<Int>] = [:]
    var pending = [cutNode]
    while let node = pending.popLast() {
      guard kept[node.layer, default: []].insert(node.call).inserted else { continue }
      pending += try Self.parents(of: node, layers)
    }
    keptCalls = kept
    let layers = self.layers
    layerOrder = kerasLayerOrder(outputs: [cutNode]) { (try? Self.parents(of: $0, layers)) ?? [] }
  }

  /// The nodes whose outputs `node` reads, in argument order.
  private static func parents(of node: KerasNode, _ layers: [String: KerasLayerConfig]) throws
    -> [KerasNode]
  {
    guard let layer = layers[node.layer] else {
      throw KerasError.invalidModel("a call reads layer '\(node.layer)', which the model lacks")
    }
    if layer.className == "InputLayer" { return [] }
    guard node.call < layer.calls.count else {
      throw KerasError.layer(
        name: layer.name, className: layer.className, "has no call \(node.call)")
    }
    return layer.calls[node.call].map { KerasNode(layer: $0.layer, call: $0.node) }
  }

  /// The call index `call` of `layer` takes once the calls that are not kept are dropped.
  func renumbered(_ call: Int, of layer: String) -> Int {
    call - (0..<call).filter { !(keptCalls[layer]?.contains($0) ?? false) }.count
  }

  private static func missing(_ cut: String, in config: KerasModelConfig) -> KerasError {
    func holder(_ model: KerasModelConfig) -> Bool {
      model.layers.contains { $0.name == cut || ($0.nestedModel.map(holder) ?? false) }
    }
    if let outer = config.layers.first(where: { $0.nestedModel.map(holder) ?? false }) {
      return .invalidModel(
        "layer '\(cut)' is inside the nested model '\(outer.name)'; a Keras .h5 can only be cut "
          + "at a top-level layer ('\(outer.name)' or one after it): write .onnx to cut inside it")
    }
    let names = config.layers.map(\.name)
    let shown = names.prefix(12).map { "'\($0)'" }.joined(separator: ", ")
    return .invalidModel(
      "has no layer '\(cut)' (its layers: \(shown)\(names.count > 12 ? ", …" : ""))")
  }
}

/// The layers of a functional model in the order Keras lists them (`model.layers`, the order
/// of its config and of `layer_names`), which is how Keras pairs layers with weight groups when
/// it loads a legacy `.h5`.
///
/// tf-keras's `_map_graph_network` and Keras 3's `map_graph`: a depth-first walk from the
/// outputs numbers each layer when first met; each node's depth is the longest path from it to
/// an output, a layer's depth the largest of its nodes'; layers are listed deepest first, ties
/// in walk order.
func kerasLayerOrder(outputs: [KerasNode], parents: (KerasNode) -> [KerasNode]) -> [String] {
  var finished: Set<KerasNode> = []
  var inProgress: Set<KerasNode> = []
  var decreasingDepth: [KerasNode] = []
  var walkIndex: [String: Int] = [:]
  func visit(_ node: KerasNode) {
    // A cycle (a corrupted config, which the importer refuses first) is not followed.
    guard !finished.contains(node), inProgress.insert(node).inserted else { return }
    if walkIndex[node.layer] == nil { walkIndex[node.layer] = walkIndex.count }
    for parent in parents(node) { visit(parent) }
    inProgress.remove(node)
    finished.insert(node)
    decreasingDepth.append(node)
  }
  for output in outputs { visit(output) }
  var nodeDepth: [KerasNode: Int] = [:]
  var layerDepth: [String: Int] = [:]
  for node in decreasingDepth.reversed() {
    let depth = max(nodeDepth[node, default: 0], layerDepth[node.layer, default: 0])
    layerDepth[node.layer] = depth
    nodeDepth[node] = depth
    for parent in parents(node) {
      nodeDepth[parent] = max(depth + 1, nodeDepth[parent, default: 0])
    }
  }
  return layerDepth.keys.sorted {
    (-layerDepth[$0]!, walkIndex[$0]!) < (-layerDepth[$1]!, walkIndex[$1]!)
  }
}
