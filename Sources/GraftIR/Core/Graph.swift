/// A dataflow graph: nodes in topological order over named values.
///
/// Every value is defined exactly once: as a graph input, a constant, or a node output. `types`
/// holds the type of every value (filled by `inferTypes()`); `outputs` name the values the graph
/// returns. Constants are the weights (ONNX initializers, Keras variables).
public struct Graph: Sendable {
  public var name: String
  public var inputs: [ValueInfo]
  public var outputs: [ValueInfo]
  public var nodes: [Node]
  public var constants: [String: Tensor]
  public var types: [String: ValueType]
  /// Contents of small integer values known as dims (see `ShapeValuePropagating`).
  public var shapeValues: [String: [Dim]] = [:]
  /// Names under which the source framework's layout of an IR value can be cut (see
  /// `InterfaceView`); empty for ONNX models.
  public var views: [String: InterfaceView] = [:]

  public init(
    name: String = "graph", inputs: [ValueInfo] = [], outputs: [ValueInfo] = [],
    nodes: [Node] = [], constants: [String: Tensor] = [:], types: [String: ValueType] = [:]
  ) {
    self.name = name
    self.inputs = inputs
    self.outputs = outputs
    self.nodes = nodes
    self.constants = constants
    self.types = types
  }

  /// The type of a value: graph input, constant or node output.
  public func type(of value: String) -> ValueType? {
    if let constant = constants[value] { return constant.valueType }
    return types[value]
  }

  /// Index of the node producing each node output.
  public var producers: [String: Int] {
    var result: [String: Int] = [:]
    for (index, node) in nodes.enumerated() {
      for output in node.outputs where !output.isEmpty { result[output] = index }
    }
    return result
  }

  /// Number of node inputs and graph outputs that read each value.
  public var useCounts: [String: Int] {
    var counts: [String: Int] = [:]
    for node in nodes {
      for input in node.inputs where !input.isEmpty { counts[input, default: 0] += 1 }
    }
    for output in outputs { counts[output.name, default: 0] += 1 }
    return counts
  }

  /// The operators that are placeholders for unsupported ops, with their nodes.
  public var unsupportedNodes: [(node: Node, op: UnsupportedOperator)] {
    nodes.compactMap { node in (node.op as? UnsupportedOperator).map { (node, $0) } }
  }

  /// The inference context of `node` from the current types and constants; `known` adds values
  /// known without being graph constants (outputs of `Constant` nodes during inference).
  public func context(for node: Node, known: [String: Tensor] = [:]) -> InferenceContext {
    InferenceContext(
      inputTypes: node.inputs.map { $0.isEmpty ? nil : (type(of: $0) ?? .unknown) },
      constants: node.inputs.map { $0.isEmpty ? nil : constants[$0] ?? known[$0] },
      shapeValues: node.inputs.map { $0.isEmpty ? nil : shapeValues[$0] },
      outputCount: node.outputs.count)
  }
}
