import GraftIR

extension Einsum: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> Einsum {
    guard let equation = try node.string("equation") else {
      throw GraphError.invalidOperator("Einsum needs the equation attribute")
    }
    _ = try Equation(parsing: equation)
    return Einsum(equation: equation)
  }
}

extension Einsum: ONNXExportable {
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    [context.onnxNode(["equation": .string(equation)])]
  }
}
