/// One operation applied to named values.
///
/// `inputs` name the values consumed, in the op's input order, with `""` for an omitted optional
/// input; `outputs` name the values produced. Names are the ONNX tensor names (or Keras layer
/// outputs) and are kept so that cuts and exports can refer to them.
public struct Node: Sendable {
  public var name: String
  public var op: any Operator
  public var inputs: [String]
  public var outputs: [String]

  public init(name: String, op: any Operator, inputs: [String], outputs: [String]) {
    self.name = name
    self.op = op
    self.inputs = inputs
    self.outputs = outputs
  }

  public var opType: String { op.opType }

  /// Wraps errors raised while handling this node with its name and op type.
  public func withContext<R>(_ body: () throws -> R) throws -> R {
    do {
      return try body()
    } catch let error as GraphError {
      if case .atNode = error { throw error }
      throw GraphError.atNode(name: name, opType: opType, error)
    }
  }
}
