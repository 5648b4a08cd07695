internal import COnnxProto
import Foundation
import GraftIR

/// Converts protobuf-c messages into IR values. Everything C stays inside this file and the
/// importer; no C type leaves GraftONNX.
struct ProtoConversion {
  /// The model file, for error messages and to resolve external data.
  let modelPath: String

  /// A protobuf-c string field as a Swift string (`""` when unset).
  static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
    pointer.map { String(cString: $0) } ?? ""
  }

  /// The elements of a protobuf-c repeated field.
  static func array<T>(_ pointer: UnsafeMutablePointer<T>?, _ count: Int) -> UnsafeBufferPointer<T>
  {
    UnsafeBufferPointer(start: pointer, count: pointer == nil ? 0 : count)
  }

  // MARK: Tensors

  /// An IR tensor from a `TensorProto`, reading `raw_data`, the typed fields or external data.
  func tensor(_ proto: UnsafePointer<Onnx__TensorProto>, name fallbackName: String = "")
    throws -> Tensor
  {
    let p = proto.pointee
    let name = Self.string(p.name).isEmpty ? fallbackName : Self.string(p.name)
    func fail(_ reason: String) -> ONNXError {
      .invalidTensor(path: modelPath, tensor: name, reason: reason)
    }
    guard let dtype = ONNXDataType.dtype(code: p.data_type) else {
      throw fail("element type \(ONNXDataType.name(code: p.data_type)) is not supported")
    }
    var shape: [Int] = []
    var count = 1
    for dim in Self.array(p.dims, p.n_dims) {
      guard dim >= 0 else { throw fail("negative dimension \(dim)") }
      let (product, overflow) = count.multipliedReportingOverflow(by: Int(dim))
      guard !overflow, product <= Int(Int32.max) * 64 else {
        throw fail("shape \(Self.array(p.dims, p.n_dims).map { $0 }) is too large")
      }
      count = product
      shape.append(Int(dim))
    }
    let byteCount = count * dtype.byteSize

    if p.data_location.rawValue == ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL.rawValue {
      let entries = Self.array(p.external_data, p.n_external_data).map {
        (Self.string($0!.pointee.key), Self.string($0!.pointee.value))
      }
      let bytes = try ExternalData(modelPath: modelPath).read(
        entries: entries, byteCount: byteCount, tensor: name)
      return Tensor(dtype: dtype, shape: shape, buffer: bytes)
    }
    if p.has_raw_data != 0 {
      guard p.raw_data.len == byteCount else {
        throw fail("raw_data holds \(p.raw_data.len) bytes, the shape \(shape) needs \(byteCount)")
      }
      let buffer = TensorBuffer(byteCount: byteCount) { out in
        if byteCount > 0 {
          out.copyMemory(from: UnsafeRawBufferPointer(start: p.raw_data.data, count: byteCount))
        }
      }
      return Tensor(dtype: dtype, shape: shape, buffer: buffer)
    }
    return try typedFieldTensor(p, dtype: dtype, shape: shape, count: count, fail: fail)
  }

  /// A tensor stored in the typed repeated fields (`float_data`, `int32_data`, …), as the spec
  /// assigns them per element type.
  private func typedFieldTensor(
    _ p: Onnx__TensorProto, dtype: DType, shape: [Int], count: Int,
    fail: (String) -> ONNXError
  ) throws -> Tensor {
    func checked<T>(_ values: UnsafeBufferPointer<T>, _ field: String) throws
      -> UnsafeBufferPointer<T>
    {
      guard values.count == count else {
        throw fail("\(field) holds \(values.count) values, the shape \(shape) needs \(count)")
      }
      return values
    }
    switch dtype {
    case .float32:
      return Tensor(
        Array(try checked(Self.array(p.float_data, p.n_float_data), "float_data")), shape: shape)
    case .float64:
      return Tensor(
        Array(try checked(Self.array(p.double_data, p.n_double_data), "double_data")), shape: shape)
    case .int64:
      return Tensor(
        Array(try checked(Self.array(p.int64_data, p.n_int64_data), "int64_data")), shape: shape)
    case .int32, .int8, .uint8, .bool, .float16:
      let values = try checked(Self.array(p.int32_data, p.n_int32_data), "int32_data")
      switch dtype {
      case .int32: return Tensor(Array(values), shape: shape)
      case .int8: return Tensor(values.map { Int8(truncatingIfNeeded: $0) }, shape: shape)
      case .uint8: return Tensor(values.map { UInt8(truncatingIfNeeded: $0) }, shape: shape)
      case .bool: return Tensor(values.map { $0 != 0 }, shape: shape)
      default:
        return Tensor(
          values.map { Float16(bitPattern: UInt16(truncatingIfNeeded: $0)) }, shape: shape)
      }
    }
  }

  // MARK: Types

  /// The IR type of a `TypeProto`; non-tensor types (sequences, maps) are unknown.
  static func valueType(_ proto: UnsafePointer<Onnx__TypeProto>?) -> ValueType {
    guard let proto,
      proto.pointee.value_case.rawValue == ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE.rawValue,
      let tensorType = proto.pointee.tensor_type
    else { return .unknown }
    let dtype =
      tensorType.pointee.has_elem_type != 0
      ? ONNXDataType.dtype(code: tensorType.pointee.elem_type) : nil
    guard let shapeProto = tensorType.pointee.shape else { return ValueType(dtype, nil) }
    let dims = array(shapeProto.pointee.dim, shapeProto.pointee.n_dim).map { dimension -> Dim in
      guard let d = dimension?.pointee else { return .unknown }
      switch d.value_case.rawValue {
      case ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE.rawValue:
        return d.dim_value >= 0 ? .fixed(Int(d.dim_value)) : .unknown
      case ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM.rawValue:
        let symbol = string(d.dim_param)
        return symbol.isEmpty ? .unknown : .symbol(symbol)
      default:
        return .unknown
      }
    }
    return ValueType(dtype, dims)
  }

  // MARK: Attributes

  /// The Swift value of an `AttributeProto`. Old files may omit `type`; it is then read from the
  /// field that is set.
  func attribute(_ proto: UnsafePointer<Onnx__AttributeProto>) throws -> ONNXAttribute {
    let a = proto.pointee
    let kind = a.has_type != 0 ? Int(a.type.rawValue) : Self.impliedType(a)
    switch kind {
    case 1: return .float(a.f)
    case 2: return .int(Int(a.i))
    case 3: return .string(Self.text(a.s))
    case 4:
      guard let t = a.t else { return .unsupported("empty tensor") }
      return .tensor(try tensor(t, name: Self.string(a.name)))
    case 6: return .floats(Array(Self.array(a.floats, a.n_floats)))
    case 7: return .ints(Self.array(a.ints, a.n_ints).map { Int($0) })
    case 8: return .strings(Self.array(a.strings, a.n_strings).map(Self.text))
    case 5, 10: return .unsupported("graph")
    case 11, 12: return .unsupported("sparse tensor")
    case 13, 14: return .unsupported("type proto")
    case 9: return .unsupported("tensor list")
    default: return .unsupported("undefined")
    }
  }

  private static func impliedType(_ a: Onnx__AttributeProto) -> Int {
    if a.n_floats > 0 { return 6 }
    if a.n_ints > 0 { return 7 }
    if a.n_strings > 0 { return 8 }
    if a.t != nil { return 4 }
    if a.g != nil { return 5 }
    if a.has_f != 0 { return 1 }
    if a.has_i != 0 { return 2 }
    if a.has_s != 0 { return 3 }
    return 0
  }

  private static func text(_ bytes: ProtobufCBinaryData) -> String {
    guard let data = bytes.data, bytes.len > 0 else { return "" }
    return String(decoding: UnsafeBufferPointer(start: data, count: bytes.len), as: UTF8.self)
  }
}
