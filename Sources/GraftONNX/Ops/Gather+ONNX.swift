import GraftIR

extension Gather: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> Gather {
    Gather(axis: try node.int("axis", default: 0))
  }
}
