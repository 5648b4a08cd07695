import GraftIR

/// An ONNX model as the exporter will write it: every node, tensor and type decided, in Swift
/// values only (`ProtoEncoding` turns it into protobuf-c messages).
struct ONNXModelRecord {
  var irVersion: Int
  var opset: Int
  var producerName: String
  var producerVersion: String
  var docString: String
  /// `metadata_props`, sorted by key so that the same model always gives the same bytes.
  var metadata: [(key: String, value: String)]
  var graphName: String
  var nodes: [ONNXNode]
  /// Initializers in order of first use.
  var initializers: [(name: String, tensor: Tensor)]
  var inputs: [ValueInfo]
  var outputs: [ValueInfo]
  /// Types of the intermediate values (node outputs that are not graph outputs).
  var valueInfo: [ValueInfo]
  /// Where initializers stored outside the model file are, by initializer name.
  var externalData: [String: ExternalDataEntry] = [:]
}

/// The place of one tensor's bytes in the external data file beside the model.
struct ExternalDataEntry {
  /// The file's name, relative to the model's folder.
  var location: String
  var offset: Int
  var length: Int
}

extension ONNXModelRecord {
  /// The ONNX IR version that goes with each default-domain opset (onnx's release table: opset
  /// 13–14 came with IR 7, 15–18 with IR 8, 19–20 with IR 9, 21 with IR 10).
  static func irVersion(forOpset opset: Int) -> Int {
    switch opset {
    case ...14: 7
    case 15...18: 8
    case 19...20: 9
    default: 10
    }
  }

  /// The record of `model`'s graph written at `opset` into the file `path`.
  ///
  /// - Throws: `ONNXExportError.notExportable` listing every node that cannot be written (ops
  ///   outside the IR, or ops the opset cannot express).
  init(model: Model, path: String, opset: Int, producerVersion: String) throws {
    let graph = model.graph
    var context = ONNXExportContext(opset: opset, graph: graph, usedNames: graph.allNames)
    var nodes: [ONNXNode] = []
    var failures: [GraphError] = []
    for node in graph.nodes {
      guard let exportable = node.op as? any ONNXExportable else {
        failures.append(
          .atNode(
            name: node.name, opType: node.opType,
            .invalidOperator("the op is not supported, so it cannot be written")))
        continue
      }
      context.node = node
      do {
        nodes += try node.withContext { try exportable.toONNX(&context) }
      } catch let error as GraphError {
        failures.append(error)
      }
    }
    if !failures.isEmpty { throw ONNXExportError.notExportable(path: path, failures) }

    var initializers: [(name: String, tensor: Tensor)] = []
    var written = Set<String>()
    let added = Dictionary(context.newConstants.map { ($0.name, $0.tensor) }) { first, _ in first }
    for name in nodes.flatMap(\.inputs) + graph.outputs.map(\.name)
    where !name.isEmpty && !written.contains(name) {
      guard let tensor = graph.constants[name] ?? added[name] else { continue }
      written.insert(name)
      initializers.append((name, tensor))
    }

    let graphValues = Set(graph.inputs.map(\.name) + graph.outputs.map(\.name))
    let valueInfo = nodes.flatMap(\.outputs).compactMap { name -> ValueInfo? in
      guard !name.isEmpty, !graphValues.contains(name), let type = graph.types[name],
        type.dtype != nil
      else { return nil }
      return ValueInfo(name: name, type: type)
    }

    self.init(
      irVersion: Self.irVersion(forOpset: opset), opset: opset, producerName: "graft",
      producerVersion: producerVersion, docString: model.docString,
      metadata: model.metadata.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
      graphName: graph.name, nodes: nodes, initializers: initializers,
      inputs: graph.inputs,
      outputs: graph.outputs.map {
        ValueInfo(name: $0.name, type: graph.type(of: $0.name) ?? $0.type)
      },
      valueInfo: valueInfo)
  }
}

extension Graph {
  /// Every value and node name the graph uses.
  fileprivate var allNames: Set<String> {
    var names = Set(constants.keys)
    names.formUnion(inputs.map(\.name))
    for node in nodes {
      names.insert(node.name)
      names.formUnion(node.outputs)
    }
    return names
  }
}
