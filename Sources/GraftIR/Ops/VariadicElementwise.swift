/// An operator combining one or more inputs of one dtype element by element, with NumPy
/// broadcasting across all of them.
public protocol VariadicElementwiseOperator: Operator {
  init()
  /// The element types the inputs may have (ONNX type constraint `T`).
  static var acceptedTypes: Set<DType> { get }
}

extension VariadicElementwiseOperator {
  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    try require(!context.inputTypes.isEmpty, "\(Self.opType) needs at least one input")
    let types = try context.inputTypes.indices.map { try context.type($0) }
    let roles = types.indices.map { "input \($0)" }
    for (type, role) in zip(types, roles) {
      try ElementTypes.require(type.dtype, in: Self.acceptedTypes, role)
    }
    try ElementTypes.requireSame(types, roles: roles)
    return [ValueType(types.lazy.compactMap(\.dtype).first, try ShapeRules.broadcast(types))]
  }
}

/// Elementwise sum of all inputs.
///
/// `y = x₀ + x₁ + … + xₙ₋₁`, broadcasting.
public struct Sum: VariadicElementwiseOperator, Hashable {
  public static let opType = "Sum"
  public static let acceptedTypes = ElementTypes.floatingPoint
  public init() {}
}

/// Elementwise mean of all inputs.
///
/// `y = (x₀ + … + xₙ₋₁) / n`, broadcasting.
public struct Mean: VariadicElementwiseOperator, Hashable {
  public static let opType = "Mean"
  public static let acceptedTypes = ElementTypes.floatingPoint
  public init() {}
}

/// Elementwise minimum of all inputs; folds, as it clamps indices in shape subgraphs.
///
/// `y = min(x₀, …, xₙ₋₁)`, broadcasting; NaN if any operand is NaN.
public struct Min: VariadicElementwiseOperator, ElementwiseFoldable, Hashable {
  public static let opType = "Min"
  public static let acceptedTypes = ElementTypes.numeric
  public init() {}

  public static func integer(_ operands: [Int64]) -> Int64? { operands.min() }
  public static func floating(_ operands: [Double]) -> Double {
    operands.contains(where: \.isNaN) ? .nan : operands.min()!
  }
}

/// Elementwise maximum of all inputs; folds, as it clamps indices in shape subgraphs.
///
/// `y = max(x₀, …, xₙ₋₁)`, broadcasting; NaN if any operand is NaN.
public struct Max: VariadicElementwiseOperator, ElementwiseFoldable, Hashable {
  public static let opType = "Max"
  public static let acceptedTypes = ElementTypes.numeric
  public init() {}

  public static func integer(_ operands: [Int64]) -> Int64? { operands.max() }
  public static func floating(_ operands: [Double]) -> Double {
    operands.contains(where: \.isNaN) ? .nan : operands.max()!
  }
}
