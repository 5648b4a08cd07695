/// An operator combining two inputs element by element with NumPy (multidirectional)
/// broadcasting: `A` and `B` of one dtype, output of the broadcast shape.
public protocol BinaryElementwiseOperator: Operator {
  init()
  /// The element types the operands may have (ONNX type constraint `T`).
  static var acceptedTypes: Set<DType> { get }
  /// Whether the output is bool (comparisons) rather than the operands' dtype.
  static var outputsBool: Bool { get }
}

extension BinaryElementwiseOperator {
  public static var outputsBool: Bool { false }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let a = try context.type(0)
    let b = try context.type(1)
    try ElementTypes.require(a.dtype, in: Self.acceptedTypes, "input A")
    try ElementTypes.require(b.dtype, in: Self.acceptedTypes, "input B")
    try ElementTypes.requireSame([a, b], roles: ["input A", "input B"])
    let dtype = Self.outputsBool ? .bool : a.dtype ?? b.dtype
    return [ValueType(dtype, try ShapeRules.broadcast([a, b]))]
  }
}

/// Integer arithmetic that shape subgraphs do (`Shape → Gather → Mul → Concat → Reshape`): it
/// folds on constants and, on shape values, computes fixed dims and the identities that keep a
/// symbolic dim (`N · 1`, `N + 0`).
public protocol DimArithmeticOperator: BinaryElementwiseOperator, ElementwiseFoldable,
  ShapeValuePropagating
{
  /// The result for a pair of dims that are not both fixed, `.unknown` when no identity applies.
  static func symbolic(_ a: Dim, _ b: Dim) -> Dim
}

extension DimArithmeticOperator {
  public func shapeValues(_ context: InferenceContext) -> [[Dim]?] {
    let integerOperands = (0..<2).allSatisfy {
      context.hasInput($0) && context.inputTypes[$0]?.dtype?.isInteger == true
    }
    guard integerOperands, let a = context.shapeValue(0), let b = context.shapeValue(1),
      a.count == b.count || a.count == 1 || b.count == 1
    else { return [nil] }
    let count = a.count == 1 ? b.count : a.count
    let result = (0..<count).map { index -> Dim in
      let x = a[a.count == 1 ? 0 : index]
      let y = b[b.count == 1 ? 0 : index]
      guard let p = x.value, let q = y.value else { return Self.symbolic(x, y) }
      return Self.integer([Int64(p), Int64(q)]).map { .fixed(Int($0)) } ?? .unknown
    }
    return [result.contains { $0 != .unknown } ? result : nil]
  }
}

/// Elementwise sum.
///
/// `C = A + B`, broadcasting; integers wrap.
public struct Add: DimArithmeticOperator, Hashable {
  public static let opType = "Add"
  public static let acceptedTypes = ElementTypes.numeric
  public init() {}

  public static func integer(_ operands: [Int64]) -> Int64? { operands[0] &+ operands[1] }
  public static func floating(_ operands: [Double]) -> Double { operands[0] + operands[1] }

  public static func symbolic(_ a: Dim, _ b: Dim) -> Dim {
    b == .fixed(0) ? a : a == .fixed(0) ? b : .unknown
  }
}

/// Elementwise difference.
///
/// `C = A − B`, broadcasting; integers wrap.
public struct Sub: DimArithmeticOperator, Hashable {
  public static let opType = "Sub"
  public static let acceptedTypes = ElementTypes.numeric
  public init() {}

  public static func integer(_ operands: [Int64]) -> Int64? { operands[0] &- operands[1] }
  public static func floating(_ operands: [Double]) -> Double { operands[0] - operands[1] }
  public static func symbolic(_ a: Dim, _ b: Dim) -> Dim { b == .fixed(0) ? a : .unknown }
}

/// Elementwise product.
///
/// `C = A · B`, broadcasting; integers wrap.
public struct Mul: DimArithmeticOperator, Hashable {
  public static let opType = "Mul"
  public static let acceptedTypes = ElementTypes.numeric
  public init() {}

  public static func integer(_ operands: [Int64]) -> Int64? { operands[0] &* operands[1] }
  public static func floating(_ operands: [Double]) -> Double { operands[0] * operands[1] }

  public static func symbolic(_ a: Dim, _ b: Dim) -> Dim {
    b == .fixed(1) ? a : a == .fixed(1) ? b : .unknown
  }
}

/// Elementwise quotient.
///
/// `C = A / B`, broadcasting. Integer division truncates toward zero, as C does and as the ONNX
/// reference implementation (`onnx.reference.ops.op_div`) specifies; it is not NumPy's floor
/// division. Integer division by zero does not fold.
public struct Div: DimArithmeticOperator, Hashable {
  public static let opType = "Div"
  public static let acceptedTypes = ElementTypes.numeric
  public init() {}

  public static func integer(_ operands: [Int64]) -> Int64? {
    let (quotient, overflow) = operands[0].dividedReportingOverflow(by: operands[1])
    return overflow ? nil : quotient
  }

  public static func floating(_ operands: [Double]) -> Double { operands[0] / operands[1] }
  public static func symbolic(_ a: Dim, _ b: Dim) -> Dim { b == .fixed(1) ? a : .unknown }
}

/// Elementwise power.
///
/// `Z = X ^ Y`, broadcasting. Unlike the other arithmetic ops the exponent may have another
/// dtype than the base; the output has the base's.
public struct Pow: BinaryElementwiseOperator, Hashable {
  public static let opType = "Pow"
  public static let acceptedTypes = ElementTypes.floatingPoint.union([.int32, .int64])
  public init() {}

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let base = try context.type(0)
    let exponent = try context.type(1)
    try ElementTypes.require(base.dtype, in: Self.acceptedTypes, "input X")
    try ElementTypes.require(exponent.dtype, in: ElementTypes.numeric, "input Y")
    return [ValueType(base.dtype, try ShapeRules.broadcast([base, exponent]))]
  }
}

/// Elementwise equality, as a bool tensor.
///
/// `C = (A == B)`, broadcasting; NaN equals nothing.
public struct Equal: BinaryElementwiseOperator, ElementwiseFoldable, Hashable {
  public static let opType = "Equal"
  public static let acceptedTypes = ElementTypes.all
  public static let outputsBool = true
  public init() {}

  public static func integer(_ operands: [Int64]) -> Int64? { operands[0] == operands[1] ? 1 : 0 }
  public static func floating(_ operands: [Double]) -> Double {
    operands[0] == operands[1] ? 1 : 0
  }
}

/// Elementwise `A < B`, as a bool tensor.
public struct Less: BinaryElementwiseOperator, ElementwiseFoldable, Hashable {
  public static let opType = "Less"
  public static let acceptedTypes = ElementTypes.numeric
  public static let outputsBool = true
  public init() {}

  public static func integer(_ operands: [Int64]) -> Int64? { operands[0] < operands[1] ? 1 : 0 }
  public static func floating(_ operands: [Double]) -> Double { operands[0] < operands[1] ? 1 : 0 }
}

/// Elementwise `A > B`, as a bool tensor.
public struct Greater: BinaryElementwiseOperator, ElementwiseFoldable, Hashable {
  public static let opType = "Greater"
  public static let acceptedTypes = ElementTypes.numeric
  public static let outputsBool = true
  public init() {}

  public static func integer(_ operands: [Int64]) -> Int64? { operands[0] > operands[1] ? 1 : 0 }
  public static func floating(_ operands: [Double]) -> Double { operands[0] > operands[1] ? 1 : 0 }
}
