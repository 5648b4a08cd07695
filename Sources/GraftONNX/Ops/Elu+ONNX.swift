import GraftIR

extension Elu: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> Elu {
    Elu(alpha: try node.float("alpha", default: 1))
  }
}
