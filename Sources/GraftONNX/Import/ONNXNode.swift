import GraftIR

/// An ONNX attribute value, converted from protobuf to Swift.
public enum ONNXAttribute: Sendable {
  case int(Int)
  case float(Float)
  case string(String)
  case tensor(Tensor)
  case ints([Int])
  case floats([Float])
  case strings([String])
  /// Graphs, sparse tensors, type protos: kept only as their kind, since no IR op reads them.
  case unsupported(String)
}

/// What an operator's ONNX import sees of a node: names, opset, attributes, and the means to turn
/// attributes that later opsets made inputs into constant inputs.
public struct ONNXNode: Sendable {
  public let name: String
  public let opType: String
  public let domain: String
  /// The opset version of the node's domain that the model imports.
  public let opset: Int
  /// Input value names; `""` marks an omitted optional input. Importers may set or append inputs.
  public var inputs: [String]
  public var outputs: [String]
  public let attributes: [String: ONNXAttribute]
  /// Constants created while normalising this node, to be added to the graph.
  public private(set) var newConstants: [String: Tensor] = [:]

  public init(
    name: String, opType: String, domain: String, opset: Int, inputs: [String], outputs: [String],
    attributes: [String: ONNXAttribute]
  ) {
    self.name = name
    self.opType = opType
    self.domain = domain
    self.opset = opset
    self.inputs = inputs
    self.outputs = outputs
    self.attributes = attributes
  }

  // MARK: Attributes

  /// Integer attribute, or nil when absent.
  public func int(_ key: String) throws -> Int? {
    guard let value = attributes[key] else { return nil }
    guard case .int(let n) = value else { throw wrongKind(key, "an integer") }
    return n
  }

  public func int(_ key: String, default value: Int) throws -> Int { try int(key) ?? value }

  public func ints(_ key: String) throws -> [Int]? {
    guard let value = attributes[key] else { return nil }
    guard case .ints(let list) = value else { throw wrongKind(key, "a list of integers") }
    return list
  }

  public func ints(_ key: String, default value: [Int]) throws -> [Int] {
    try ints(key) ?? value
  }

  public func float(_ key: String) throws -> Float? {
    guard let value = attributes[key] else { return nil }
    switch value {
    case .float(let x): return x
    case .int(let n): return Float(n)
    default: throw wrongKind(key, "a float")
    }
  }

  public func float(_ key: String, default value: Float) throws -> Float {
    try float(key) ?? value
  }

  public func floats(_ key: String) throws -> [Float]? {
    guard let value = attributes[key] else { return nil }
    switch value {
    case .floats(let list): return list
    case .ints(let list): return list.map(Float.init)
    default: throw wrongKind(key, "a list of floats")
    }
  }

  public func string(_ key: String) throws -> String? {
    guard let value = attributes[key] else { return nil }
    guard case .string(let text) = value else { throw wrongKind(key, "a string") }
    return text
  }

  public func string(_ key: String, default value: String) throws -> String {
    try string(key) ?? value
  }

  public func strings(_ key: String) throws -> [String]? {
    guard let value = attributes[key] else { return nil }
    guard case .strings(let list) = value else { throw wrongKind(key, "a list of strings") }
    return list
  }

  public func tensor(_ key: String) throws -> Tensor? {
    guard let value = attributes[key] else { return nil }
    guard case .tensor(let tensor) = value else { throw wrongKind(key, "a tensor") }
    return tensor
  }

  private func wrongKind(_ key: String, _ expected: String) -> GraphError {
    .invalidOperator("attribute '\(key)' should be \(expected)")
  }

  // MARK: Inputs

  /// Whether input `index` is present (not omitted).
  public func hasInput(_ index: Int) -> Bool { index < inputs.count && !inputs[index].isEmpty }

  /// Sets input `index` to a new constant holding `tensor` (for an attribute that later opsets
  /// turned into an input), padding skipped optional inputs with `""`.
  public mutating func setConstantInput(_ index: Int, _ tensor: Tensor, role: String) {
    let constantName = "\(name.isEmpty ? opType : name)/\(role)"
    var unique = constantName
    var suffix = 1
    while newConstants[unique] != nil {
      suffix += 1
      unique = "\(constantName)_\(suffix)"
    }
    newConstants[unique] = tensor
    while inputs.count <= index { inputs.append("") }
    inputs[index] = unique
  }

  /// Drops trailing omitted inputs so that input counts are canonical.
  public mutating func trimOmittedInputs() {
    while let last = inputs.last, last.isEmpty { inputs.removeLast() }
  }
}

/// An IR operator that can be read from ONNX.
///
/// The conformance lives in `GraftONNX/Ops/<Op>+ONNX.swift`. `fromONNX` reads the node's attributes
/// with the spec's defaults and rewrites opset-specific spellings into the IR's single meaning (the
/// newest opset's), e.g. Clip-6's `min`/`max` attributes become constant inputs.
public protocol ONNXImportable: Operator {
  /// Builds the operator from an ONNX node; may rewrite `node.inputs`.
  ///
  /// - Throws: `GraphError.invalidOperator` for attributes the spec does not allow.
  static func fromONNX(_ node: inout ONNXNode) throws -> Self
}

/// Operators without attributes import with `init()`.
public protocol AttributeFreeONNXImportable: ONNXImportable {
  init()
}

extension AttributeFreeONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> Self { Self() }
}
