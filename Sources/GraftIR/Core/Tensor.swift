/// A dense constant tensor: element type, fixed shape and the elements in row-major (C) order.
///
/// Layout: element `[i0, i1, …, ik]` sits at flat index `((i0·d1 + i1)·d2 + …)·dk + ik`, stored
/// little-endian, `dtype.byteSize` bytes each (bool as one byte, 0 or 1). A tensor of shape `[]` is
/// a scalar with one element.
public struct Tensor: Sendable, CustomStringConvertible {
  public let dtype: DType
  public let shape: [Int]
  public let buffer: TensorBuffer

  /// Wraps `buffer`, whose size must be `shape.product · dtype.byteSize`.
  public init(dtype: DType, shape: [Int], buffer: TensorBuffer) {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative tensor dimension")
    precondition(
      buffer.byteCount == shape.reduce(1, *) * dtype.byteSize, "tensor buffer size mismatch")
    self.dtype = dtype
    self.shape = shape
    self.buffer = buffer
  }

  /// A tensor holding `values` (row-major) with the given shape.
  public init<T: TensorElement>(_ values: [T], shape: [Int]) {
    precondition(values.count == shape.reduce(1, *), "element count does not match shape")
    let buffer = TensorBuffer(byteCount: values.count * T.dtype.byteSize) { raw in
      values.withUnsafeBytes { raw.copyMemory(from: $0) }
    }
    self.init(dtype: T.dtype, shape: shape, buffer: buffer)
  }

  /// A rank-0 tensor holding one value.
  public init<T: TensorElement>(scalar: T) { self.init([scalar], shape: []) }

  /// Number of elements.
  public var count: Int { shape.reduce(1, *) }

  /// The shape as static dims.
  public var dims: [Dim] { shape.map(Dim.fixed) }

  /// The type of a value holding this tensor.
  public var valueType: ValueType { ValueType(dtype, dims) }

  /// The elements as `T`, which must be the Swift type of `dtype`.
  public func elements<T: TensorElement>(as type: T.Type = T.self) -> [T] {
    precondition(T.dtype == dtype, "reading \(dtype) tensor as \(T.dtype)")
    return buffer.withUnsafeBytes { raw in
      [T](unsafeUninitializedCapacity: count) { out, initialized in
        UnsafeMutableRawBufferPointer(out).copyMemory(from: raw)
        initialized = count
      }
    }
  }

  /// The elements converted to `Int64`, for integer and bool tensors (index and shape inputs).
  public func integers() -> [Int64]? {
    switch dtype {
    case .int64: return elements(as: Int64.self)
    case .int32: return elements(as: Int32.self).map(Int64.init)
    case .int8: return elements(as: Int8.self).map(Int64.init)
    case .uint8: return elements(as: UInt8.self).map(Int64.init)
    case .bool: return elements(as: Bool.self).map { $0 ? 1 : 0 }
    case .float32, .float16, .float64: return nil
    }
  }

  /// The elements converted to `Double`, for any dtype.
  public func doubles() -> [Double] {
    switch dtype {
    case .float32: elements(as: Float.self).map(Double.init)
    case .float16: elements(as: Float16.self).map(Double.init)
    case .float64: elements(as: Double.self)
    default: integers()!.map(Double.init)
    }
  }

  /// A tensor of `dtype` built from doubles, rounding toward zero for integer types (C casts).
  public static func converting(_ values: [Double], to dtype: DType, shape: [Int]) -> Tensor {
    switch dtype {
    case .float32: Tensor(values.map { Float($0) }, shape: shape)
    case .float16: Tensor(values.map { Float16($0) }, shape: shape)
    case .float64: Tensor(values, shape: shape)
    case .int8: Tensor(values.map { Int8(truncatingIfNeeded: Int64(cCasting: $0)) }, shape: shape)
    case .uint8: Tensor(values.map { UInt8(truncatingIfNeeded: Int64(cCasting: $0)) }, shape: shape)
    case .int32: Tensor(values.map { Int32(truncatingIfNeeded: Int64(cCasting: $0)) }, shape: shape)
    case .int64: Tensor(values.map { Int64(cCasting: $0) }, shape: shape)
    case .bool: Tensor(values.map { $0 != 0 }, shape: shape)
    }
  }

  /// A tensor of `dtype` built from integers (shape arithmetic results).
  public static func converting(_ values: [Int64], to dtype: DType, shape: [Int]) -> Tensor {
    switch dtype {
    case .int64: Tensor(values, shape: shape)
    default: converting(values.map(Double.init), to: dtype, shape: shape)
    }
  }

  /// The same elements under another shape with the same element count.
  public func reshaped(_ newShape: [Int]) -> Tensor {
    Tensor(dtype: dtype, shape: newShape, buffer: buffer)
  }

  public var description: String { "Tensor(\(dtype.rawValue)\(dims.shapeDescription))" }
}

extension Int64 {
  /// A C cast from double: toward zero; NaN gives 0 and out-of-range values saturate, where C
  /// leaves the result undefined and Swift would trap. Shared by constant folding and kernels.
  public init(cCasting value: Double) {
    if value.isNaN {
      self = 0
    } else if value >= 9.223372036854775807e18 {
      self = .max
    } else if value <= -9.223372036854775808e18 {
      self = .min
    } else {
      self = Int64(value.rounded(.towardZero))
    }
  }
}
