/// An operation of the IR.
///
/// Each operator is a struct in `GraftIR/Ops/` whose stored properties are its attributes, named and
/// defaulted as in the newest ONNX opset: importers normalise older spellings (attributes that later
/// became inputs, renamed modes) into that one meaning. Its shape and type inference lives with it.
public protocol Operator: Sendable {
  /// The ONNX op type in the default domain, e.g. `"Conv"`.
  static var opType: String { get }

  /// The op type of this instance: `Self.opType`, except for placeholders of unsupported ops.
  var opType: String { get }

  /// Infers the types of the node's `context.outputCount` outputs.
  ///
  /// - Throws: `GraphError.invalidOperator` when the inputs or attributes break the op's rules.
  func inferTypes(_ context: InferenceContext) throws -> [ValueType]

  /// Floating-point operations for one run with the given types (a multiply-add counts 2), or nil
  /// when a shape is not fixed. The default counts one per output element.
  func flops(_ context: InferenceContext, outputs: [ValueType]) -> Int?
}

extension Operator {
  public var opType: String { Self.opType }

  public func flops(_ context: InferenceContext, outputs: [ValueType]) -> Int? {
    var total = 0
    for output in outputs {
      guard let count = ShapeRules.elementCount(output.shape) else { return nil }
      let (sum, overflow) = total.addingReportingOverflow(count)
      if overflow { return nil }
      total = sum
    }
    return total
  }
}

/// An operator that can compute its outputs at import time when its inputs are known, used by
/// constant folding (shape arithmetic chains, small constant subgraphs).
public protocol ConstantFoldable: Operator {
  /// The outputs, or nil when the inputs needed are not all known.
  func fold(_ context: InferenceContext) throws -> [Tensor]?
}

/// An operator that can compute the contents of its small integer outputs as dims when its inputs
/// are shape values (`Shape`, `Gather`, `Concat`, `Unsqueeze`, integer arithmetic, …).
///
/// This is how `Shape → Gather → Concat → Reshape` chains over a symbolic batch dim are resolved:
/// the chain's result is known as `[N, 512]` even though it is not a constant.
public protocol ShapeValuePropagating: Operator {
  /// The outputs' contents as dims, nil for outputs not known this way.
  func shapeValues(_ context: InferenceContext) -> [[Dim]?]
}

/// Operators that only move or relabel data and do no arithmetic: their FLOPs are zero.
public protocol DataMovementOperator: Operator {}

extension DataMovementOperator {
  public func flops(_ context: InferenceContext, outputs: [ValueType]) -> Int? { 0 }
}

/// What an operator sees of its node's inputs during inference and folding.
public struct InferenceContext: Sendable {
  /// The input types in input order; nil where an optional input is omitted.
  public let inputTypes: [ValueType?]
  /// The inputs' values where they are constants.
  public let constants: [Tensor?]
  /// The contents of small integer inputs known symbolically, such as `Shape(x)` of a value whose
  /// batch dim is a symbol: `[.symbol("N"), .fixed(512)]`. Nil where not known this way.
  public let shapeValues: [[Dim]?]
  /// How many outputs the node has.
  public let outputCount: Int

  public init(
    inputTypes: [ValueType?], constants: [Tensor?], shapeValues: [[Dim]?]? = nil, outputCount: Int
  ) {
    precondition(inputTypes.count == constants.count)
    self.inputTypes = inputTypes
    self.constants = constants
    self.shapeValues = shapeValues ?? Array(repeating: nil, count: inputTypes.count)
    self.outputCount = outputCount
  }

  /// Whether input `index` is present.
  public func hasInput(_ index: Int) -> Bool {
    index < inputTypes.count && inputTypes[index] != nil
  }

  /// The type of required input `index`.
  public func type(_ index: Int) throws -> ValueType {
    guard index < inputTypes.count, let type = inputTypes[index] else {
      throw GraphError.invalidOperator("input \(index) is required but missing")
    }
    return type
  }

  /// The constant value of input `index`, when known.
  public func constant(_ index: Int) -> Tensor? {
    index < constants.count ? constants[index] : nil
  }

  /// The contents of a rank-0 or rank-1 integer input as dims: from its constant value when known
  /// (each element `.fixed`), else from symbolic shape propagation.
  public func shapeValue(_ index: Int) -> [Dim]? {
    if let constant = constant(index), constant.shape.count <= 1, let values = constant.integers() {
      return values.map { .fixed(Int($0)) }
    }
    return index < shapeValues.count ? shapeValues[index] : nil
  }

  /// The constant values of all present inputs, or nil when one is not constant.
  public var allConstants: [Tensor?]? {
    for (type, value) in zip(inputTypes, constants) where type != nil && value == nil {
      return nil
    }
    return constants
  }
}

/// Placeholder for an op outside the IR (or outside the default domain), kept so that one import
/// reports every unsupported op at once and `inspect` can still describe the rest of the graph.
public struct UnsupportedOperator: Operator, Hashable {
  public static let opType = "Unsupported"
  public let originalType: String
  public let domain: String
  public let opset: Int

  public init(opType: String, domain: String, opset: Int) {
    self.originalType = opType
    self.domain = domain
    self.opset = opset
  }

  public var opType: String { originalType }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    Array(repeating: .unknown, count: context.outputCount)
  }

  public func flops(_ context: InferenceContext, outputs: [ValueType]) -> Int? { nil }
}

/// Whether two operators are the same op with the same attributes: `==` for Hashable ops, and for
/// `Constant` and `ConstantOfShape` (whose tensors are not Hashable) the same type, shape and values.
/// Round-trip checks compare graphs with it.
public func operatorsEqual(_ a: any Operator, _ b: any Operator) -> Bool {
  if let a = a as? any Hashable, let b = b as? any Hashable {
    return AnyHashable(a) == AnyHashable(b)
  }
  let values = [a, b].map { ($0 as? Constant)?.value ?? ($0 as? ConstantOfShape)?.value }
  guard type(of: a) == type(of: b), let first = values[0], let second = values[1] else {
    return false
  }
  return first.dtype == second.dtype && first.shape == second.shape
    && first.doubles() == second.doubles()
}
