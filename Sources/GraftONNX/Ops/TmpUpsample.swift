import GraftIR

enum UpsampleImport {
  static func fromONNX(_ node: inout ONNXNode) throws -> any Operator {
    throw GraphError.invalidOperator("x")
  }
}
