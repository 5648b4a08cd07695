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

extension ONNXExportable where Self: BinaryElementwiseOperator {
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    [context.onnxNode()]
  }
}

extension Add: ONNXImportable, ONNXExportable {}
extension Sub: ONNXImportable, ONNXExportable {}
extension Mul: ONNXImportable, ONNXExportable {}
extension Div: ONNXImportable, ONNXExportable {}
extension Pow: ONNXImportable, ONNXExportable {}
extension Equal: ONNXImportable, ONNXExportable {}
extension Less: ONNXImportable, ONNXExportable {}
extension Greater: ONNXImportable, ONNXExportable {}
