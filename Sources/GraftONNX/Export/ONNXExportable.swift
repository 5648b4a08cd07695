import GraftIR

/// An IR operator that can be written as ONNX.
///
/// The conformance lives beside the import, in `GraftONNX/Ops/<Op>+ONNX.swift`. `toONNX` spells the
/// IR's single meaning (the newest opset's) in the target opset's terms: an input that was an
/// attribute before that opset goes back into the attribute, and an op newer than the opset is
/// written as the default-domain ops that compute it (Gelu before opset 20, for instance).
public protocol ONNXExportable: Operator {
  /// The ONNX nodes computing this op at `context.opset`, in order; they read the IR node's inputs
  /// and produce its outputs under the same names.
  ///
  /// - Throws: `GraphError.invalidOperator` when the op cannot be written at that opset (for
  ///   instance an attribute-era input that is not a constant); the message says which opset would do.
  func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode]
}

/// Operators without attributes are written as themselves.
extension ONNXExportable where Self: AttributeFreeONNXImportable {
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    [context.onnxNode()]
  }
}

/// What an operator's export sees: the IR node, the graph's constants and types, and the target
/// opset; and the means to add constants and intermediate values with names unique in the model.
public struct ONNXExportContext {
  /// The default-domain opset being written.
  public let opset: Int
  /// The node being exported.
  public internal(set) var node: Node
  /// The graph the node belongs to (constants and inferred types).
  public let graph: Graph
  /// Constants created by exports (attribute-era values that later opsets made inputs, and the
  /// constants of decompositions), in creation order.
  public private(set) var newConstants: [(name: String, tensor: Tensor)] = []
  /// Every value and node name in use, so that new names never collide.
  private var usedNames: Set<String>

  init(opset: Int, graph: Graph, usedNames: Set<String>) {
    self.opset = opset
    self.graph = graph
    self.usedNames = usedNames
    self.node = Node(name: "", op: Identity(), inputs: [], outputs: [])
  }

  // MARK: Reading the node

  /// Whether input `index` is present.
  public func hasInput(_ index: Int) -> Bool {
    index < node.inputs.count && !node.inputs[index].isEmpty
  }

  /// The constant value of input `index`, when it is a graph constant.
  public func constant(_ index: Int) -> Tensor? {
    hasInput(index) ? graph.constants[node.inputs[index]] : nil
  }

  /// The integer contents of constant input `index` (axes, sizes, pads), when constant.
  public func constantIntegers(_ index: Int) -> [Int]? {
    constant(index)?.integers().map { $0.map { Int($0) } }
  }

  /// The inferred type of input `index`.
  public func inputType(_ index: Int) -> ValueType? {
    hasInput(index) ? graph.type(of: node.inputs[index]) : nil
  }

  /// The inferred type of output `index`.
  public func outputType(_ index: Int) -> ValueType? {
    index < node.outputs.count ? graph.type(of: node.outputs[index]) : nil
  }

  // MARK: Writing nodes

  /// The node written as itself: its name, op type, inputs and outputs, with `attributes`
  /// (`inputs` replaces the inputs, e.g. to drop one that is an attribute at this opset; trailing
  /// omitted inputs are trimmed).
  public func onnxNode(_ attributes: [String: ONNXAttribute] = [:], inputs: [String]? = nil)
    -> ONNXNode
  {
    var written = ONNXNode(
      name: node.name, opType: node.opType, domain: "", opset: opset,
      inputs: inputs ?? node.inputs, outputs: node.outputs, attributes: attributes)
    written.trimOmittedInputs()
    return written
  }

  /// A further node of a decomposition, named `<node>/<role>`.
  public mutating func extraNode(
    _ opType: String, role: String, inputs: [String], outputs: [String],
    attributes: [String: ONNXAttribute] = [:]
  ) -> ONNXNode {
    ONNXNode(
      name: uniqueName("\(node.name)/\(role)"), opType: opType, domain: "", opset: opset,
      inputs: inputs, outputs: outputs, attributes: attributes)
  }

  /// A new intermediate value named after the node and `role`.
  public mutating func newValue(_ role: String) -> String {
    uniqueName("\(node.name)/\(role)")
  }

  /// A new constant holding `tensor`, named after the node and `role`; returns its name.
  public mutating func addConstant(_ tensor: Tensor, role: String) -> String {
    let name = uniqueName("\(node.name)/\(role)")
    newConstants.append((name, tensor))
    return name
  }

  /// The error for an op that cannot be written at this opset.
  public func unsupported(_ reason: String) -> GraphError {
    .invalidOperator("cannot be written at opset \(opset): \(reason)")
  }

  private mutating func uniqueName(_ base: String) -> String {
    var name = base
    var suffix = 1
    while usedNames.contains(name) {
      suffix += 1
      name = "\(base)_\(suffix)"
    }
    usedNames.insert(name)
    return name
  }
}
