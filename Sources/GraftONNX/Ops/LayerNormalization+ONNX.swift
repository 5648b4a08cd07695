import GraftIR

extension LayerNormalization: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> LayerNormalization {
    let stashCode = try node.int("stash_type", default: 1)
    // TensorProto.DataType codes of the floating-point types the IR has.
    let stashTypes: [Int: DType] = [1: .float32, 10: .float16, 11: .float64]
    guard let stashType = stashTypes[stashCode] else {
      throw GraphError.invalidOperator(
        "stash_type \(stashCode) is not supported: use 1 (float), 10 (float16) or 11 (double)")
    }
    return LayerNormalization(
      axis: try node.int("axis", default: -1),
      epsilon: try node.float("epsilon", default: 1e-5),
      stashType: stashType)
  }
}
