import Foundation
import GraftIR

/// A Swift type kernels compute on, with the conversions ONNX's Cast defines.
///
/// Integers convert from floating point as C casts do (toward zero; NaN and out-of-range values
/// saturate instead of trapping), narrower integers wrap, and anything converts to bool as `x ≠ 0`.
protocol KernelScalar: TensorElement, Equatable {
  /// The value as a double (exact for every type but int64 beyond 2⁵³).
  var doubleValue: Double { get }
  /// The value as an int64: floating point truncates toward zero, bool is 0 or 1.
  var int64Value: Int64 { get }
  init(double: Double)
  init(int64: Int64)
}

/// A numeric element type: the arithmetic ONNX's elementwise ops define on it.
///
/// Integer arithmetic wraps (two's complement) and integer division truncates toward zero, as in
/// C; integer division by zero gives 0 rather than trapping (ONNX leaves it undefined).
protocol KernelNumber: KernelScalar, Comparable {
  /// The type sums are accumulated in: float32 for float16, int64 for integers.
  associatedtype Accumulator: KernelNumber
  static var zero: Self { get }
  /// The least and greatest values (±∞ for floating point), the identities of max and min.
  static var lowest: Self { get }
  static var highest: Self { get }
  static func sum(_ a: Self, _ b: Self) -> Self
  static func difference(_ a: Self, _ b: Self) -> Self
  static func product(_ a: Self, _ b: Self) -> Self
  static func quotient(_ a: Self, _ b: Self) -> Self
  var accumulated: Accumulator { get }
  init(accumulated: Accumulator)
}

extension KernelNumber {
  /// The larger operand; NaN if either is NaN (ONNX Max).
  @inline(__always) static func maximum(_ a: Self, _ b: Self) -> Self {
    a > b || a != a ? a : b
  }

  /// The smaller operand; NaN if either is NaN (ONNX Min).
  @inline(__always) static func minimum(_ a: Self, _ b: Self) -> Self {
    a < b || a != a ? a : b
  }
}

/// A floating-point element type with the transcendental functions of the activation ops.
protocol KernelFloat: KernelNumber, BinaryFloatingPoint {
  static func exp(_ x: Self) -> Self
  static func log(_ x: Self) -> Self
  static func tanh(_ x: Self) -> Self
  static func erf(_ x: Self) -> Self
  static func pow(_ x: Self, _ y: Self) -> Self
}

extension KernelNumber where Self: BinaryFloatingPoint {
  static var lowest: Self { -.infinity }
  static var highest: Self { .infinity }
  @inline(__always) static func sum(_ a: Self, _ b: Self) -> Self { a + b }
  @inline(__always) static func difference(_ a: Self, _ b: Self) -> Self { a - b }
  @inline(__always) static func product(_ a: Self, _ b: Self) -> Self { a * b }
  @inline(__always) static func quotient(_ a: Self, _ b: Self) -> Self { a / b }
  var doubleValue: Double { Double(self) }
  var int64Value: Int64 { Int64(cCasting: Double(self)) }
  init(double: Double) { self.init(double) }
}

extension KernelNumber where Self: FixedWidthInteger {
  static var lowest: Self { .min }
  static var highest: Self { .max }
  @inline(__always) static func sum(_ a: Self, _ b: Self) -> Self { a &+ b }
  @inline(__always) static func difference(_ a: Self, _ b: Self) -> Self { a &- b }
  @inline(__always) static func product(_ a: Self, _ b: Self) -> Self { a &* b }
  @inline(__always) static func quotient(_ a: Self, _ b: Self) -> Self {
    b == 0 ? 0 : a.dividedReportingOverflow(by: b).partialValue
  }
  var doubleValue: Double { Double(self) }
  var int64Value: Int64 { Int64(truncatingIfNeeded: self) }
  init(double: Double) { self.init(truncatingIfNeeded: Int64(cCasting: double)) }
  init(int64: Int64) { self.init(truncatingIfNeeded: int64) }
  var accumulated: Int64 { Int64(truncatingIfNeeded: self) }
  init(accumulated: Int64) { self.init(truncatingIfNeeded: accumulated) }
}

/// Float32's `exp`, `tanh` and `erf` are `VectorMath`'s, so that activation loops vectorise.
extension Float: KernelFloat {
  init(int64: Int64) { self.init(int64) }
  var accumulated: Float { self }
  init(accumulated: Float) { self = accumulated }
  @inline(__always) static func exp(_ x: Float) -> Float { VectorMath.exp(x) }
  @inline(__always) static func log(_ x: Float) -> Float { Foundation.log(x) }
  @inline(__always) static func tanh(_ x: Float) -> Float { VectorMath.tanh(x) }
  @inline(__always) static func erf(_ x: Float) -> Float { VectorMath.erf(x) }
  @inline(__always) static func pow(_ x: Float, _ y: Float) -> Float { Foundation.pow(x, y) }
}

extension Double: KernelFloat {
  init(int64: Int64) { self.init(int64) }
  var accumulated: Double { self }
  init(accumulated: Double) { self = accumulated }
  @inline(__always) static func exp(_ x: Double) -> Double { Foundation.exp(x) }
  @inline(__always) static func log(_ x: Double) -> Double { Foundation.log(x) }
  @inline(__always) static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }
  @inline(__always) static func erf(_ x: Double) -> Double { Foundation.erf(x) }
  @inline(__always) static func pow(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }
}

/// Half precision computes through float32, as ONNX Runtime's CPU kernels do.
extension Float16: KernelFloat {
  init(int64: Int64) { self.init(Float(int64)) }
  var accumulated: Float { Float(self) }
  init(accumulated: Float) { self.init(accumulated) }
  static func exp(_ x: Float16) -> Float16 { Float16(Float.exp(Float(x))) }
  static func log(_ x: Float16) -> Float16 { Float16(Float.log(Float(x))) }
  static func tanh(_ x: Float16) -> Float16 { Float16(Float.tanh(Float(x))) }
  static func erf(_ x: Float16) -> Float16 { Float16(Float.erf(Float(x))) }
  static func pow(_ x: Float16, _ y: Float16) -> Float16 {
    Float16(Float.pow(Float(x), Float(y)))
  }
}

extension Int8: KernelNumber {}
extension UInt8: KernelNumber {}
extension Int32: KernelNumber {}
extension Int64: KernelNumber {}

extension Bool: KernelScalar {
  var doubleValue: Double { self ? 1 : 0 }
  var int64Value: Int64 { self ? 1 : 0 }
  init(double: Double) { self = double != 0 }
  init(int64: Int64) { self = int64 != 0 }
}

/// Builds a kernel for one floating-point element type, chosen by `DType.floatingKernel`.
protocol FloatingKernelBuilder {
  func build<T: KernelFloat>(_ type: T.Type) throws -> any CPUKernel
}

/// Builds a kernel for one numeric element type, chosen by `DType.numericKernel`.
protocol NumericKernelBuilder {
  func build<T: KernelNumber>(_ type: T.Type) throws -> any CPUKernel
}

/// Builds a kernel for any element type, chosen by `DType.scalarKernel`.
protocol ScalarKernelBuilder {
  func build<T: KernelScalar>(_ type: T.Type) throws -> any CPUKernel
}

extension DType {
  /// The kernel `builder` makes for this type.
  func scalarKernel<B: ScalarKernelBuilder>(_ builder: B) throws -> any CPUKernel {
    switch self {
    case .float32: try builder.build(Float.self)
    case .float64: try builder.build(Double.self)
    case .float16: try builder.build(Float16.self)
    case .int64: try builder.build(Int64.self)
    case .int32: try builder.build(Int32.self)
    case .int8: try builder.build(Int8.self)
    case .uint8: try builder.build(UInt8.self)
    case .bool: try builder.build(Bool.self)
    }
  }

  /// The kernel `builder` makes for this floating-point type; `nil` for other types.
  ///
  /// Each case calls the builder with a concrete type, so that the optimiser specialises the
  /// kernel's loops for it (an opened existential would leave them generic).
  func floatingKernel<B: FloatingKernelBuilder>(_ builder: B) throws -> (any CPUKernel)? {
    switch self {
    case .float32: try builder.build(Float.self)
    case .float64: try builder.build(Double.self)
    case .float16: try builder.build(Float16.self)
    default: nil
    }
  }

  /// The kernel `builder` makes for this numeric type (bool as its 0/1 byte with
  /// `boolAsByte`); `nil` for other types.
  func numericKernel<B: NumericKernelBuilder>(_ builder: B, boolAsByte: Bool = false) throws
    -> (any CPUKernel)?
  {
    switch self {
    case .float32: try builder.build(Float.self)
    case .float64: try builder.build(Double.self)
    case .float16: try builder.build(Float16.self)
    case .int64: try builder.build(Int64.self)
    case .int32: try builder.build(Int32.self)
    case .int8: try builder.build(Int8.self)
    case .uint8: try builder.build(UInt8.self)
    case .bool: boolAsByte ? try builder.build(UInt8.self) : nil
    }
  }
}

extension KernelContext {
  /// The dtype of required input `index`.
  func dtype(_ index: Int) throws -> DType {
    guard index < inputTypes.count, let dtype = inputTypes[index] else {
      throw RuntimeError.kernel(node: nodeName, "input \(index) is missing")
    }
    return dtype
  }

  /// The error for an element type a kernel does not handle.
  func unsupported(_ op: String, _ dtype: DType) -> RuntimeError {
    .unsupportedKernel(node: nodeName, "\(op) has no CPU kernel for \(dtype.rawValue) elements")
  }
}

extension RuntimeTensor {
  /// The elements as `T`, which must be the Swift type of `dtype` (or UInt8 for bool).
  @inline(__always) func pointer<T>(_ type: T.Type = T.self) -> UnsafeMutablePointer<T> {
    data.assumingMemoryBound(to: T.self)
  }
}

extension RuntimeTensor {
  /// The elements converted to double, for small parameter tensors read at run time.
  func doubles() -> [Double] {
    func read<T: KernelScalar>(_ type: T.Type) -> [Double] {
      let values = UnsafeBufferPointer(start: pointer(T.self), count: count)
      return values.map(\.doubleValue)
    }
    return switch dtype {
    case .float32: read(Float.self)
    case .float64: read(Double.self)
    case .float16: read(Float16.self)
    case .int64: read(Int64.self)
    case .int32: read(Int32.self)
    case .int8: read(Int8.self)
    case .uint8: read(UInt8.self)
    case .bool: read(Bool.self)
    }
  }
}

extension KernelContext {
  /// Input `index` as doubles when it is a plan-time constant.
  func constantDoubles(_ index: Int) -> [Double]? {
    index < constants.count ? constants[index]?.doubles() : nil
  }
}

/// Elements per thread below which splitting a cheap elementwise loop costs more than it saves.
let elementwiseChunk = 16384
