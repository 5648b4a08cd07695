import GraftIR

extension InstanceNormalization: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> InstanceNormalization {
    InstanceNormalization(epsilon: try node.float("epsilon", default: 1e-5))
  }
}
