import GraftIR

/// ONNX's `TensorProto.DataType` codes and their IR element types.
enum ONNXDataType {
  /// The IR dtype of an ONNX element type code, or nil when the IR has no such type.
  static func dtype(code: Int32) -> DType? {
    switch code {
    case 1: .float32
    case 2: .uint8
    case 3: .int8
    case 6: .int32
    case 7: .int64
    case 9: .bool
    case 10: .float16
    case 11: .float64
    default: nil
    }
  }

  /// The ONNX element type code of an IR dtype.
  static func code(of dtype: DType) -> Int32 {
    switch dtype {
    case .float32: 1
    case .uint8: 2
    case .int8: 3
    case .int32: 6
    case .int64: 7
    case .bool: 9
    case .float16: 10
    case .float64: 11
    }
  }

  /// The spec's name for a code, for error messages.
  static func name(code: Int32) -> String {
    let names = [
      0: "UNDEFINED", 1: "FLOAT", 2: "UINT8", 3: "INT8", 4: "UINT16", 5: "INT16", 6: "INT32",
      7: "INT64", 8: "STRING", 9: "BOOL", 10: "FLOAT16", 11: "DOUBLE", 12: "UINT32", 13: "UINT64",
      14: "COMPLEX64", 15: "COMPLEX128", 16: "BFLOAT16", 17: "FLOAT8E4M3FN", 18: "FLOAT8E4M3FNUZ",
      19: "FLOAT8E5M2", 20: "FLOAT8E5M2FNUZ", 21: "UINT4", 22: "INT4", 23: "FLOAT4E2M1",
    ]
    return names[Int(code)] ?? "unknown type \(code)"
  }
}
