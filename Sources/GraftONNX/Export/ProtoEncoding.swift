internal import COnnxProto
internal import CProtobufC
import Foundation
import GraftIR

/// Builds the protobuf-c messages of an `ONNXModelRecord` and streams them into a file. Everything
/// C of the export stays in this file.
///
/// The messages live in C memory owned by an arena and freed together; tensor payloads are not
/// copied: `raw_data` points into the tensors' own buffers, which the record keeps alive while the
/// messages are packed.
struct ProtoEncoding {
  let record: ONNXModelRecord

  /// Writes the encoded model into `file` (opened for writing); returns 0 or the `errno` of the
  /// write that failed.
  func write(to file: UnsafeMutablePointer<FILE>) -> Int32 {
    let arena = ProtoArena()
    let model = self.model(arena)
    return withExtendedLifetime(record) { graft_onnx_write_model(model, file) }
  }

  private func model(_ arena: ProtoArena) -> UnsafeMutablePointer<Onnx__ModelProto> {
    let model = arena.message(onnx__model_proto__init)
    model.pointee.has_ir_version = 1
    model.pointee.ir_version = Int64(record.irVersion)
    let opset = arena.message(onnx__operator_set_id_proto__init)
    opset.pointee.domain = arena.string("")
    opset.pointee.has_version = 1
    opset.pointee.version = Int64(record.opset)
    (model.pointee.n_opset_import, model.pointee.opset_import) = arena.list([opset])
    model.pointee.producer_name = arena.string(record.producerName)
    model.pointee.producer_version = arena.string(record.producerVersion)
    if !record.docString.isEmpty { model.pointee.doc_string = arena.string(record.docString) }
    (model.pointee.n_metadata_props, model.pointee.metadata_props) = arena.list(
      record.metadata.map { entry(arena, $0.key, $0.value) })
    model.pointee.graph = graph(arena)
    return model
  }

  private func graph(_ arena: ProtoArena) -> UnsafeMutablePointer<Onnx__GraphProto> {
    let graph = arena.message(onnx__graph_proto__init)
    graph.pointee.name = arena.string(record.graphName)
    (graph.pointee.n_node, graph.pointee.node) = arena.list(record.nodes.map { node(arena, $0) })
    (graph.pointee.n_initializer, graph.pointee.initializer) = arena.list(
      record.initializers.map {
        tensor(arena, $0.tensor, name: $0.name, external: record.externalData[$0.name])
      })
    (graph.pointee.n_input, graph.pointee.input) = arena.list(
      record.inputs.map { valueInfo(arena, $0) })
    (graph.pointee.n_output, graph.pointee.output) = arena.list(
      record.outputs.map { valueInfo(arena, $0) })
    (graph.pointee.n_value_info, graph.pointee.value_info) = arena.list(
      record.valueInfo.map { valueInfo(arena, $0) })
    return graph
  }

  private func node(_ arena: ProtoArena, _ node: ONNXNode) -> UnsafeMutablePointer<Onnx__NodeProto>
  {
    let proto = arena.message(onnx__node_proto__init)
    proto.pointee.name = arena.string(node.name)
    proto.pointee.op_type = arena.string(node.opType)
    if !node.domain.isEmpty { proto.pointee.domain = arena.string(node.domain) }
    (proto.pointee.n_input, proto.pointee.input) = arena.list(node.inputs.map(arena.string))
    (proto.pointee.n_output, proto.pointee.output) = arena.list(node.outputs.map(arena.string))
    (proto.pointee.n_attribute, proto.pointee.attribute) = arena.list(
      node.attributes.sorted { $0.key < $1.key }.compactMap { attribute(arena, $0.key, $0.value) })
    return proto
  }

  /// The attribute message; nil for kinds no IR op writes (`.unsupported`).
  private func attribute(_ arena: ProtoArena, _ name: String, _ value: ONNXAttribute)
    -> UnsafeMutablePointer<Onnx__AttributeProto>?
  {
    let proto = arena.message(onnx__attribute_proto__init)
    proto.pointee.name = arena.string(name)
    proto.pointee.has_type = 1
    switch value {
    case .float(let x):
      proto.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT
      proto.pointee.has_f = 1
      proto.pointee.f = x
    case .int(let n):
      proto.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT
      proto.pointee.has_i = 1
      proto.pointee.i = Int64(n)
    case .string(let text):
      proto.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING
      proto.pointee.has_s = 1
      proto.pointee.s = arena.bytes(text)
    case .tensor(let tensor):
      proto.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR
      proto.pointee.t = self.tensor(arena, tensor, name: "", external: nil)
    case .floats(let list):
      proto.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS
      (proto.pointee.n_floats, proto.pointee.floats) = arena.list(list)
    case .ints(let list):
      proto.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS
      (proto.pointee.n_ints, proto.pointee.ints) = arena.list(list.map(Int64.init))
    case .strings(let list):
      proto.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRINGS
      (proto.pointee.n_strings, proto.pointee.strings) = arena.list(list.map(arena.bytes))
    case .unsupported:
      return nil
    }
    return proto
  }

  /// A tensor with its bytes in `raw_data` (little-endian, row-major, as the IR holds them), or
  /// pointing into the external data file.
  private func tensor(
    _ arena: ProtoArena, _ tensor: Tensor, name: String, external: ExternalDataEntry?
  ) -> UnsafeMutablePointer<Onnx__TensorProto> {
    let proto = arena.message(onnx__tensor_proto__init)
    if !name.isEmpty { proto.pointee.name = arena.string(name) }
    (proto.pointee.n_dims, proto.pointee.dims) = arena.list(tensor.shape.map(Int64.init))
    proto.pointee.has_data_type = 1
    proto.pointee.data_type = ONNXDataType.code(of: tensor.dtype)
    if let external {
      proto.pointee.has_data_location = 1
      proto.pointee.data_location = ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL
      (proto.pointee.n_external_data, proto.pointee.external_data) = arena.list([
        entry(arena, "location", external.location),
        entry(arena, "offset", String(external.offset)),
        entry(arena, "length", String(external.length)),
      ])
    } else {
      proto.pointee.has_raw_data = 1
      proto.pointee.raw_data = ProtobufCBinaryData(
        len: tensor.buffer.byteCount,
        data: UnsafeMutablePointer(
          mutating: tensor.buffer.baseAddress.assumingMemoryBound(to: UInt8.self)))
    }
    return proto
  }

  private func valueInfo(_ arena: ProtoArena, _ info: ValueInfo)
    -> UnsafeMutablePointer<Onnx__ValueInfoProto>
  {
    let proto = arena.message(onnx__value_info_proto__init)
    proto.pointee.name = arena.string(info.name)
    let type = arena.message(onnx__type_proto__init)
    let tensorType = arena.message(onnx__type_proto__tensor__init)
    if let dtype = info.type.dtype {
      tensorType.pointee.has_elem_type = 1
      tensorType.pointee.elem_type = ONNXDataType.code(of: dtype)
    }
    if let dims = info.type.shape {
      let shape = arena.message(onnx__tensor_shape_proto__init)
      (shape.pointee.n_dim, shape.pointee.dim) = arena.list(dims.map { dimension(arena, $0) })
      tensorType.pointee.shape = shape
    }
    type.pointee.value_case = ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE
    type.pointee.tensor_type = tensorType
    proto.pointee.type = type
    return proto
  }

  /// A fixed dim as `dim_value`, a symbol as `dim_param`, an unknown dim with neither.
  private func dimension(_ arena: ProtoArena, _ dim: Dim)
    -> UnsafeMutablePointer<Onnx__TensorShapeProto__Dimension>
  {
    let proto = arena.message(onnx__tensor_shape_proto__dimension__init)
    switch dim {
    case .fixed(let n):
      proto.pointee.value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE
      proto.pointee.dim_value = Int64(n)
    case .symbol(let symbol):
      proto.pointee.value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM
      proto.pointee.dim_param = arena.string(symbol)
    case .unknown:
      break
    }
    return proto
  }

  private func entry(_ arena: ProtoArena, _ key: String, _ value: String)
    -> UnsafeMutablePointer<Onnx__StringStringEntryProto>
  {
    let proto = arena.message(onnx__string_string_entry_proto__init)
    proto.pointee.key = arena.string(key)
    proto.pointee.value = arena.string(value)
    return proto
  }
}

/// C memory for one model's messages, freed all at once when the arena goes.
private final class ProtoArena {
  private var blocks: [UnsafeMutableRawPointer] = []

  deinit {
    for block in blocks { free(block) }
  }

  /// A zeroed message initialised by its protobuf-c `init` function.
  func message<T>(_ initialize: (UnsafeMutablePointer<T>) -> Void) -> UnsafeMutablePointer<T> {
    let pointer = allocate(T.self, count: 1)
    initialize(pointer)
    return pointer
  }

  /// A repeated field: its count and a C array of `values` (nil when empty).
  func list<T>(_ values: [T]) -> (Int, UnsafeMutablePointer<T>?) {
    guard !values.isEmpty else { return (0, nil) }
    let pointer = allocate(T.self, count: values.count)
    pointer.initialize(from: values, count: values.count)
    return (values.count, pointer)
  }

  /// A repeated message field from message pointers.
  func list<T>(_ values: [UnsafeMutablePointer<T>]) -> (
    Int, UnsafeMutablePointer<UnsafeMutablePointer<T>?>?
  ) {
    list(values.map { Optional($0) })
  }

  /// A NUL-terminated copy of `text`.
  func string(_ text: String) -> UnsafeMutablePointer<CChar> {
    let utf8 = Array(text.utf8CString)
    let pointer = allocate(CChar.self, count: utf8.count)
    pointer.initialize(from: utf8, count: utf8.count)
    return pointer
  }

  /// `text` as a protobuf `bytes` value.
  func bytes(_ text: String) -> ProtobufCBinaryData {
    let utf8 = Array(text.utf8)
    guard !utf8.isEmpty else { return ProtobufCBinaryData(len: 0, data: nil) }
    let pointer = allocate(UInt8.self, count: utf8.count)
    pointer.initialize(from: utf8, count: utf8.count)
    return ProtobufCBinaryData(len: utf8.count, data: pointer)
  }

  private func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
    guard let raw = calloc(count, MemoryLayout<T>.stride) else {
      fatalError("out of memory building the ONNX messages")
    }
    blocks.append(raw)
    return raw.bindMemory(to: T.self, capacity: count)
  }
}
