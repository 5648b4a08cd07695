import Foundation
import GraftKeras

/// One model from a trunk and a head trained on its features: the trunk cut at the head's layer,
/// pooled as the features were (`Graph.featureTrunk`), flattened to one vector per row, then the
/// head. Its input is the trunk's (in the trunk's layout), its output the head's class
/// probabilities.
///
/// The head's nodes and constants keep their names, made unique against the trunk's where they
/// clash; the result's metadata is the head's.
///
/// - Parameters:
///   - trunkPath, headPath: the files, named in errors.
///   - trunkConfig: the architecture file of a Keras weights-only trunk, which the features'
///     model SHA-256 covers too.
///   - requireSameTrunk: refuse a head trained on features of another model file.
/// - Throws: `HeadError` when the head was trained on another trunk or takes another number of
///   features than the layer gives.
public func attachHead(
  trunk: Model, trunkPath: String, trunkConfig: String? = nil, head: Model, headPath: String,
  requireSameTrunk: Bool = true
) throws -> Model {
  let description = try HeadDescription(of: head, path: headPath)
  if requireSameTrunk {
    try requireTrunk(of: description, trunkPath, trunkConfig, headPath: headPath)
  }
  var graph = try featureTrunk(of: trunk, for: description, headPath: headPath)
  var features = graph.outputs[0].name
  if graph.outputs[0].type.shape?.count != 2 {
    let flat = unique("\(features)/flattened", in: graph)
    graph.nodes.append(Node(name: flat, op: Flatten(axis: 1), inputs: [features], outputs: [flat]))
    features = flat
  }
  // The head's names, renamed where the trunk already uses them; its input becomes `features`.
  var renamed = [head.graph.inputs[0].name: features]
  for name in head.graph.constants.keys.sorted() { renamed[name] = unique(name, in: graph) }
  for node in head.graph.nodes {
    for output in node.outputs { renamed[output] = unique(output, in: graph) }
  }
  for (name, tensor) in head.graph.constants { graph.constants[renamed[name]!] = tensor }
  for node in head.graph.nodes {
    var copy = node
    copy.name = unique(node.name, in: graph)
    copy.inputs = node.inputs.map { renamed[$0] ?? $0 }
    copy.outputs = node.outputs.map { renamed[$0]! }
    graph.nodes.append(copy)
  }
  graph.outputs = head.graph.outputs.map { ValueInfo(name: renamed[$0.name]!, type: .unknown) }
  try graph.inferTypes()
  graph.outputs = graph.outputs.map { ValueInfo(name: $0.name, type: graph.type(of: $0.name)!) }
  return Model(
    graph: graph, format: .onnx, producerName: "graft", producerVersion: graftVersion,
    metadata: head.metadata)
}

/// Throws `HeadError.otherTrunk` unless the head's features came from these trunk files (the
/// model, and the architecture of a weights-only one).
private func requireTrunk(
  of description: HeadDescription, _ trunkPath: String, _ trunkConfig: String?, headPath: String
) throws {
  let trunkFiles = [trunkPath] + (trunkConfig.map { [$0] } ?? [])
  if try Digest.sha256(ofFiles: trunkFiles) != description.trunkSHA256 {
    throw HeadError.otherTrunk(head: headPath, trunk: trunkPath)
  }
}

/// The trunk cut at the head's layer and pooled as its features were.
///
/// - Throws: `HeadError.widthMismatch` when the head takes another number of features.
private func featureTrunk(of trunk: Model, for description: HeadDescription, headPath: String)
  throws -> Graph
{
  let graph = try trunk.graph.featureTrunk(
    layers: [description.layer], pool: FeaturePooling(rawValue: description.pool) ?? .avg,
    channelsLast: trunk.format == .kerasH5)
  let shape = graph.outputs[0].type.shape ?? []
  let width = shape.dropFirst().reduce(1) { $0 * ($1.value ?? -1) }
  guard width == description.featureCount else {
    throw HeadError.widthMismatch(
      head: headPath, expected: description.featureCount, layer: description.layer,
      actual: shape.count > 1 ? shape.dropFirst().map(\.description).joined(separator: "×") : "?")
  }
  return graph
}

/// Writes a Keras trunk and a head trained on its features as one Keras legacy `.h5` model
/// (see `KerasModelWriter.writeAttached`): the trunk cut at the head's layer, pooled as the
/// features were, then the head as Dense layers; tf-keras and Keras 3 load it as the trunk's
/// Keras version does.
///
/// - Parameters:
///   - trunk, trunkPath: the trunk, read from a legacy full-model Keras `.h5`, named in errors.
///   - trunkConfig: the architecture file of a weights-only trunk (covered by the features'
///     SHA-256); such a trunk is refused, but only once the head is known to be its.
///   - head, headPath: the head (from `graft train-head`) and its file.
///   - output: the `.h5` file to write, under a temporary name first.
///   - requireSameTrunk: refuse a head trained on features of another model file.
/// - Throws: `HeadError` when the head was trained on another trunk or takes another number of
///   features than the layer gives (checked as `attachHead` checks it); `KerasError` when the
///   trunk is not a full-model `.h5` or the head has a node that is no Dense layer.
public func attachHeadAsKeras(
  trunk: Model, trunkPath: String, trunkConfig: String? = nil, head: Model, headPath: String,
  output: String, requireSameTrunk: Bool = true
) throws {
  let description = try HeadDescription(of: head, path: headPath)
  if requireSameTrunk {
    try requireTrunk(of: description, trunkPath, trunkConfig, headPath: headPath)
  }
  let dense = try kerasDenseLayers(of: head.graph, path: headPath)
  _ = try featureTrunk(of: trunk, for: description, headPath: headPath)
  try KerasModelWriter.writeAttached(
    trunk: trunkPath, loaded: trunk, cutAt: description.layer,
    pooling: FeaturePooling(rawValue: description.pool) ?? .avg, head: dense,
    metadata: head.metadata.filter { $0.key.hasPrefix("graft.") }, to: output)
}

/// A head graph (`Gemm(transB = 1)` → [`Relu` → `Gemm` …] → `Softmax`) as Keras Dense layers:
/// each Gemm's `[outputs, inputs]` weight transposed to Keras's `[inputs, outputs]` kernel, a
/// Relu making the layer before it `relu`, the Softmax making the last one `softmax`.
///
/// - Throws: `KerasError` naming `path` and the node for any other node or a Gemm whose
///   weights are not constants.
func kerasDenseLayers(of graph: Graph, path: String) throws -> [KerasDenseLayer] {
  var layers: [KerasDenseLayer] = []
  for node in graph.nodes {
    func refuse(_ why: String) -> KerasError {
      KerasError.file(
        path: path,
        .invalidModel(
          "node '\(node.name)' (\(type(of: node.op).opType)) \(why); a Keras head is "
            + "Gemm(transB = 1) → [Relu → Gemm …] → Softmax"))
    }
    switch node.op {
    case let gemm as Gemm:
      guard gemm == Gemm(transB: true), node.inputs.count == 3,
        let weights = graph.constants[node.inputs[1]], weights.shape.count == 2,
        let bias = graph.constants[node.inputs[2]], bias.shape == [weights.shape[0]],
        weights.dtype == .float32, bias.dtype == .float32
      else { throw refuse("is not a Gemm(transB = 1) of float32 constant weights and bias") }
      let (outputs, inputs) = (weights.shape[0], weights.shape[1])
      let values = weights.elements(as: Float.self)
      let kernel = (0..<inputs * outputs).map { values[($0 % outputs) * inputs + $0 / outputs] }
      layers.append(
        KerasDenseLayer(
          kernel: Tensor(kernel, shape: [inputs, outputs]), bias: bias, activation: .linear))
    case is Relu where !layers.isEmpty && layers[layers.count - 1].activation == .linear:
      layers[layers.count - 1].activation = .relu
    case let softmax as Softmax
    where [-1, 1].contains(softmax.axis) && node.name == graph.nodes.last?.name
      && !layers.isEmpty:
      layers[layers.count - 1].activation = .softmax
    default:
      throw refuse("has no place in a Keras Dense head")
    }
  }
  guard layers.last?.activation == .softmax else {
    throw KerasError.file(path: path, .invalidModel("the head does not end in a Softmax"))
  }
  return layers
}

/// `name`, or `name_2`, `name_3`, … when the graph already has a node, value or constant of
/// that name.
private func unique(_ name: String, in graph: Graph) -> String {
  func taken(_ candidate: String) -> Bool {
    graph.type(of: candidate) != nil || graph.nodes.contains { $0.name == candidate }
      || graph.inputs.contains { $0.name == candidate }
  }
  guard taken(name) else { return name }
  var suffix = 2
  while taken("\(name)_\(suffix)") { suffix += 1 }
  return "\(name)_\(suffix)"
}
