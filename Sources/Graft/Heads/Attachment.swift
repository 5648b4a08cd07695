import Foundation

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
  let trunkFiles = [trunkPath] + (trunkConfig.map { [$0] } ?? [])
  if requireSameTrunk, try Digest.sha256(ofFiles: trunkFiles) != description.trunkSHA256 {
    throw HeadError.otherTrunk(head: headPath, trunk: trunkPath)
  }
  var graph = try trunk.graph.featureTrunk(
    layers: [description.layer], pool: FeaturePooling(rawValue: description.pool) ?? .avg,
    channelsLast: trunk.format == .kerasH5)
  var features = graph.outputs[0].name
  let shape = graph.outputs[0].type.shape ?? []
  let width = shape.dropFirst().reduce(1) { $0 * ($1.value ?? -1) }
  guard width == description.featureCount else {
    throw HeadError.widthMismatch(
      head: headPath, expected: description.featureCount, layer: description.layer,
      actual: shape.count > 1 ? shape.dropFirst().map(\.description).joined(separator: "×") : "?")
  }
  if shape.count != 2 {
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
