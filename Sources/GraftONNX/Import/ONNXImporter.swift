internal import COnnxProto
internal import CProtobufC
import Foundation
import GraftIR

/// Reads ONNX model files into the IR.
///
/// Every node is converted; ops outside the IR become `UnsupportedOperator` placeholders, so one
/// import describes the whole model and `Model.unsupportedOperators` lists every gap at once.
/// Commands that execute or convert call `requireSupported()` afterwards.
public enum ONNXImporter {
  /// Default-domain opsets the importer understands.
  /// Opsets 24–27 (the newest onnx 1.22.0 defines) only add element types to the IR's ops (and
  /// float8 rounding to Cast, an accumulation type to Range), so they read with the same meaning.
  public static let supportedOpsets = 7...27
  /// Deepest sub-message nesting accepted (real models stay far below; hostile ones do not).
  static let maxNesting: UInt32 = 100

  /// Loads the model at `path`, with external data resolved beside it.
  ///
  /// - Throws: `ONNXError` naming the file and the node or tensor at fault.
  public static func load(contentsOf path: String) throws -> Model {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw ONNXError.unreadable(path: path, reason: "no such file")
    }
    guard !isDirectory.boolValue else {
      throw ONNXError.unreadable(path: path, reason: "it is a folder")
    }
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    } catch {
      throw ONNXError.unreadable(path: path, reason: error.localizedDescription)
    }
    return try load(data: data, path: path)
  }

  /// Loads a model from bytes; `path` names it in errors and locates external data.
  public static func load(data: Data, path: String) throws -> Model {
    guard !data.isEmpty else { throw ONNXError.notONNX(path: path, reason: "the file is empty") }
    let proto: UnsafeMutablePointer<Onnx__ModelProto> = try data.withUnsafeBytes { raw in
      let bytes = raw.bindMemory(to: UInt8.self).baseAddress!
      guard
        graft_protobuf_nesting_within(
          [onnx__model_proto__descriptor], bytes, raw.count, maxNesting) != 0
      else {
        throw ONNXError.notONNX(
          path: path, reason: "messages are nested more than \(maxNesting) levels deep")
      }
      guard let proto = onnx__model_proto__unpack(nil, raw.count, bytes) else {
        throw ONNXError.notONNX(
          path: path, reason: "the protobuf data is malformed or truncated")
      }
      return proto
    }
    defer { onnx__model_proto__free_unpacked(proto, nil) }
    return try ModelReader(path: path).model(proto.pointee)
  }
}

extension Model {
  /// Throws `ONNXError.unsupportedOperators` listing every op outside the IR, if any.
  public func requireSupported(path: String) throws {
    let reports = unsupportedOperators
    if !reports.isEmpty { throw ONNXError.unsupportedOperators(path: path, reports) }
  }
}

/// Turns one unpacked `ModelProto` into a typed IR model.
private struct ModelReader {
  let path: String
  var conversion: ProtoConversion { ProtoConversion(modelPath: path) }

  func model(_ proto: Onnx__ModelProto) throws -> Model {
    guard let graphProto = proto.graph?.pointee else {
      throw ONNXError.notONNX(path: path, reason: "the file has no graph")
    }
    guard proto.has_ir_version != 0 else {
      throw ONNXError.notONNX(path: path, reason: "the file has no ir_version")
    }
    let opsets = try self.opsets(proto)
    var graph = try self.graph(graphProto, opsets: opsets)
    do {
      try graph.sortTopologically()
      try graph.verify()
      try graph.inferTypes()
    } catch let error as GraphError {
      throw ONNXError.invalidGraph(path: path, error)
    }
    var metadata: [String: String] = [:]
    for entry in ProtoConversion.array(proto.metadata_props, proto.n_metadata_props) {
      metadata[ProtoConversion.string(entry!.pointee.key)] = ProtoConversion.string(
        entry!.pointee.value)
    }
    return Model(
      graph: graph, format: .onnx,
      producerName: ProtoConversion.string(proto.producer_name),
      producerVersion: ProtoConversion.string(proto.producer_version),
      irVersion: Int(proto.ir_version), opsets: opsets, metadata: metadata,
      docString: ProtoConversion.string(proto.doc_string))
  }

  /// Opset per domain, with `ai.onnx` spelled `""`.
  func opsets(_ proto: Onnx__ModelProto) throws -> [String: Int] {
    var opsets: [String: Int] = [:]
    for entry in ProtoConversion.array(proto.opset_import, proto.n_opset_import) {
      let domain = Self.canonicalDomain(ProtoConversion.string(entry!.pointee.domain))
      opsets[domain] = Int(entry!.pointee.version)
    }
    if let version = opsets[""], !ONNXImporter.supportedOpsets.contains(version) {
      let range = ONNXImporter.supportedOpsets
      throw ONNXError.invalidModel(
        path: path,
        reason: "default-domain opset \(version) is outside the supported "
          + "\(range.lowerBound)…\(range.upperBound)")
    }
    return opsets
  }

  static func canonicalDomain(_ domain: String) -> String { domain == "ai.onnx" ? "" : domain }

  func graph(_ proto: Onnx__GraphProto, opsets: [String: Int]) throws -> Graph {
    var graph = Graph(name: ProtoConversion.string(proto.name))
    for (index, initializer) in ProtoConversion.array(proto.initializer, proto.n_initializer)
      .enumerated()
    {
      let tensor = try conversion.tensor(initializer!, name: "initializer \(index)")
      let name = ProtoConversion.string(initializer!.pointee.name)
      guard !name.isEmpty else {
        throw ONNXError.invalidModel(path: path, reason: "initializer \(index) has no name")
      }
      graph.constants[name] = tensor
    }
    if proto.n_sparse_initializer > 0 {
      throw ONNXError.invalidModel(path: path, reason: "sparse initializers are not supported")
    }
    graph.inputs = valueInfos(proto.input, proto.n_input).filter {
      graph.constants[$0.name] == nil
    }
    graph.outputs = valueInfos(proto.output, proto.n_output)
    for info in valueInfos(proto.value_info, proto.n_value_info) {
      graph.types[info.name] = info.type
    }

    var errors: [GraphError] = []
    var usedNames = Set<String>()
    for (index, nodePointer) in ProtoConversion.array(proto.node, proto.n_node).enumerated() {
      let node = nodePointer!.pointee
      let opType = ProtoConversion.string(node.op_type)
      var name = ProtoConversion.string(node.name)
      if name.isEmpty { name = "\(opType)_\(index)" }
      while !usedNames.insert(name).inserted { name += "_\(index)" }
      do {
        graph.nodes.append(try self.node(node, name: name, opsets: opsets, graph: &graph))
      } catch let error as GraphError {
        errors.append(error)
      }
    }
    if !errors.isEmpty {
      throw ONNXError.invalidGraph(path: path, errors.count == 1 ? errors[0] : .many(errors))
    }
    return graph
  }

  func valueInfos(
    _ list: UnsafeMutablePointer<UnsafeMutablePointer<Onnx__ValueInfoProto>?>?, _ count: Int
  )
    -> [ValueInfo]
  {
    ProtoConversion.array(list, count).map { info in
      ValueInfo(
        name: ProtoConversion.string(info!.pointee.name),
        type: ProtoConversion.valueType(info!.pointee.type))
    }
  }

  func node(_ proto: Onnx__NodeProto, name: String, opsets: [String: Int], graph: inout Graph)
    throws -> Node
  {
    let opType = ProtoConversion.string(proto.op_type)
    let domain = Self.canonicalDomain(ProtoConversion.string(proto.domain))
    let inputs = ProtoConversion.array(proto.input, proto.n_input).map(ProtoConversion.string)
    let outputs = ProtoConversion.array(proto.output, proto.n_output).map(ProtoConversion.string)
    let opset = opsets[domain] ?? 0
    guard domain.isEmpty, let importer = ONNXOperators.importer(for: opType) else {
      let op = UnsupportedOperator(opType: opType, domain: domain, opset: opset)
      return Node(name: name, op: op, inputs: inputs, outputs: outputs)
    }
    do {
      guard opset > 0 else {
        throw GraphError.invalidOperator("the model imports no opset for the default domain")
      }
      var attributes: [String: ONNXAttribute] = [:]
      for attribute in ProtoConversion.array(proto.attribute, proto.n_attribute) {
        let key = ProtoConversion.string(attribute!.pointee.name)
        do {
          attributes[key] = try conversion.attribute(attribute!)
        } catch let error as ONNXError {
          throw GraphError.invalidOperator("attribute '\(key)': \(error)")
        }
      }
      var onnxNode = ONNXNode(
        name: name, opType: opType, domain: domain, opset: opset, inputs: inputs,
        outputs: outputs, attributes: attributes)
      let op = try importer(&onnxNode)
      for (constantName, tensor) in onnxNode.newConstants {
        graph.constants[constantName] = tensor
      }
      return Node(name: name, op: op, inputs: onnxNode.inputs, outputs: onnxNode.outputs)
    } catch let error as GraphError {
      throw GraphError.atNode(name: name, opType: opType, error)
    }
  }
}

extension ONNXImporter {
  /// The linked protobuf-c library's version.
  public static var protobufVersion: String { String(cString: protobuf_c_version()) }
}

extension ONNXImporter {
  /// Reads a serialized `TensorProto` file (the `input_0.pb` / `output_0.pb` files of ONNX's
  /// backend tests).
  public static func loadTensor(contentsOf path: String) throws -> Tensor {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw ONNXError.unreadable(path: path, reason: error.localizedDescription)
    }
    let proto = data.withUnsafeBytes { raw in
      onnx__tensor_proto__unpack(nil, raw.count, raw.bindMemory(to: UInt8.self).baseAddress)
    }
    guard let proto else {
      throw ONNXError.notONNX(path: path, reason: "not a serialized TensorProto")
    }
    defer { onnx__tensor_proto__free_unpacked(proto, nil) }
    return try ProtoConversion(modelPath: path).tensor(proto, name: "tensor")
  }
}
