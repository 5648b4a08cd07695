import GraftIR

extension Flatten: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> Flatten {
    Flatten(axis: try node.int("axis", default: 1))
  }
}
