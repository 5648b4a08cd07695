/// The element types a tensor or graph value can have.
///
/// Names follow ONNX's `TensorProto.DataType` spelled in lower case; `rawValue` is what
/// `graft inspect` prints.
public enum DType: String, Sendable, CaseIterable, Hashable, Codable {
  case float32, float16, float64, int8, uint8, int32, int64, bool

  /// Bytes one element takes in a dense little-endian buffer.
  public var byteSize: Int {
    switch self {
    case .float64, .int64: 8
    case .float32, .int32: 4
    case .float16: 2
    case .int8, .uint8, .bool: 1
    }
  }

  public var isFloatingPoint: Bool { self == .float32 || self == .float16 || self == .float64 }
  public var isInteger: Bool { self == .int8 || self == .uint8 || self == .int32 || self == .int64 }
}
