import GraftIR

extension Transpose: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> Transpose {
    Transpose(perm: try node.ints("perm"))
  }
}
