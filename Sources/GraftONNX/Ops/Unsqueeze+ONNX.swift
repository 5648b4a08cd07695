import GraftIR

extension Unsqueeze: ONNXImportable {
  /// Before opset 13 `axes` was a required attribute; it becomes the constant int64 input 1.
  public static func fromONNX(_ node: inout ONNXNode) throws -> Unsqueeze {
    let axes = try node.ints("axes")
    if node.opset >= 13 {
      try require(
        axes == nil, "Unsqueeze: from opset 13 on 'axes' is an input, not an attribute")
      try require(node.hasInput(1), "Unsqueeze: input 'axes' is required")
    } else {
      guard let axes else {
        throw GraphError.invalidOperator("Unsqueeze: attribute 'axes' is required")
      }
      node.setConstantInput(1, Tensor(axes.map(Int64.init), shape: [axes.count]), role: "axes")
    }
    return Unsqueeze()
  }
}
