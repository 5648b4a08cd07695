import GraftIR

extension ONNXImportable where Self: BinaryElementwiseOperator {
  /// Opsets before 7 broadcast only on request (`broadcast = 1`, B aligned at `axis`); opset 7
  /// replaced that with NumPy broadcasting. The importer reads opset 7 and newer, so those
  /// attributes mean a malformed or mislabelled model, and guessing their meaning could silently
  /// change results.
  public static func fromONNX(_ node: inout ONNXNode) throws -> Self {
    for key in ["broadcast", "axis"] where node.attributes[key] != nil {
      throw GraphError.invalidOperator(
        "attribute '\(key)' is the broadcasting form of opsets before 7, which Graft does not "
          + "read; re-export the model with opset 7 or newer")
    }
    return Self()
  }
}

extension Add: ONNXImportable {}
extension Sub: ONNXImportable {}
extension Mul: ONNXImportable {}
extension Div: ONNXImportable {}
extension Pow: ONNXImportable {}
extension Equal: ONNXImportable {}
extension Less: ONNXImportable {}
extension Greater: ONNXImportable {}
