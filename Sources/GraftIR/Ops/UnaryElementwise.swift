/// An operator applying one scalar function to every element: the output has the input's type.
///
/// The attribute-free ones are in this file; those with attributes (LeakyRelu, Elu, Selu,
/// HardSigmoid, Gelu) have their own files and share this inference.
public protocol UnaryElementwiseOperator: Operator {
  /// The element types the input may have (ONNX type constraint `T`).
  static var acceptedTypes: Set<DType> { get }
}

extension UnaryElementwiseOperator {
  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let input = try context.type(0)
    try ElementTypes.require(input.dtype, in: Self.acceptedTypes, "input")
    return [input]
  }
}

/// Rectified linear unit.
///
/// `y = max(0, x)`.
public struct Relu: UnaryElementwiseOperator, Hashable {
  public static let opType = "Relu"
  public static let acceptedTypes = ElementTypes.signed
  public init() {}
}

/// Logistic sigmoid.
///
/// `y = 1 / (1 + exp(−x))`.
public struct Sigmoid: UnaryElementwiseOperator, Hashable {
  public static let opType = "Sigmoid"
  public static let acceptedTypes = ElementTypes.floatingPoint
  public init() {}
}

/// Hyperbolic tangent.
///
/// `y = tanh(x)`.
public struct Tanh: UnaryElementwiseOperator, Hashable {
  public static let opType = "Tanh"
  public static let acceptedTypes = ElementTypes.floatingPoint
  public init() {}
}

/// Gauss error function, the building block of exact GELU in exported transformers.
///
/// `y = erf(x) = 2/√π ∫₀ˣ exp(−t²) dt`.
public struct Erf: UnaryElementwiseOperator, Hashable {
  public static let opType = "Erf"
  public static let acceptedTypes = ElementTypes.floatingPoint
  public init() {}
}

/// Square root.
///
/// `y = √x`; NaN for negative `x`.
public struct Sqrt: UnaryElementwiseOperator, Hashable {
  public static let opType = "Sqrt"
  public static let acceptedTypes = ElementTypes.floatingPoint
  public init() {}
}

/// Natural exponential.
///
/// `y = eˣ`.
public struct Exp: UnaryElementwiseOperator, Hashable {
  public static let opType = "Exp"
  public static let acceptedTypes = ElementTypes.floatingPoint
  public init() {}
}

/// Natural logarithm.
///
/// `y = ln x`; −∞ at 0 and NaN for negative `x`.
public struct Log: UnaryElementwiseOperator, Hashable {
  public static let opType = "Log"
  public static let acceptedTypes = ElementTypes.floatingPoint
  public init() {}
}

/// Absolute value; folds for integer shape arithmetic.
///
/// `y = |x|`; integers wrap as in C (`|−128|` is −128 in int8).
public struct Abs: UnaryElementwiseOperator, ElementwiseFoldable, Hashable {
  public static let opType = "Abs"
  public static let acceptedTypes = ElementTypes.numeric
  public init() {}

  public static func integer(_ operands: [Int64]) -> Int64? {
    operands[0] < 0 ? 0 &- operands[0] : operands[0]
  }

  public static func floating(_ operands: [Double]) -> Double { abs(operands[0]) }
}

/// Negation; folds for integer shape arithmetic.
///
/// `y = −x`.
public struct Neg: UnaryElementwiseOperator, ElementwiseFoldable, Hashable {
  public static let opType = "Neg"
  public static let acceptedTypes = ElementTypes.signed
  public init() {}

  public static func integer(_ operands: [Int64]) -> Int64? { 0 &- operands[0] }
  public static func floating(_ operands: [Double]) -> Double { -operands[0] }
}

/// Reciprocal.
///
/// `y = 1 / x`.
public struct Reciprocal: UnaryElementwiseOperator, Hashable {
  public static let opType = "Reciprocal"
  public static let acceptedTypes = ElementTypes.floatingPoint
  public init() {}
}

/// Rounding toward −∞.
///
/// `y = ⌊x⌋`.
public struct Floor: UnaryElementwiseOperator, Hashable {
  public static let opType = "Floor"
  public static let acceptedTypes = ElementTypes.floatingPoint
  public init() {}
}

/// Rounding toward +∞.
///
/// `y = ⌈x⌉`.
public struct Ceil: UnaryElementwiseOperator, Hashable {
  public static let opType = "Ceil"
  public static let acceptedTypes = ElementTypes.floatingPoint
  public init() {}
}

/// Logical negation of a bool tensor; folds, since masks in shape subgraphs are built from it.
///
/// `y = ¬x`.
public struct Not: UnaryElementwiseOperator, ElementwiseFoldable, Hashable {
  public static let opType = "Not"
  public static let acceptedTypes: Set<DType> = [.bool]
  public init() {}

  public static func integer(_ operands: [Int64]) -> Int64? { operands[0] == 0 ? 1 : 0 }
  public static func floating(_ operands: [Double]) -> Double { operands[0] == 0 ? 1 : 0 }
}

/// Hard swish, MobileNetV3's cheap approximation of swish.
///
/// `y = x · max(0, min(1, x/6 + 1/2))`, i.e. `x · HardSigmoid(x)` with α = 1/6, β = 1/2.
public struct HardSwish: UnaryElementwiseOperator, Hashable {
  public static let opType = "HardSwish"
  public static let acceptedTypes = ElementTypes.floatingPoint
  public init() {}
}
