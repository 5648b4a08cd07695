import GraftIR

extension Squeeze: ONNXImportable {
  /// Before opset 13 `axes` was an attribute; it becomes the constant int64 input 1.
  public static func fromONNX(_ node: inout ONNXNode) throws -> Squeeze {
    let axes = try node.ints("axes")
    if node.opset >= 13 {
      try require(
        axes == nil, "Squeeze: from opset 13 on 'axes' is an input, not an attribute")
    } else if let axes {
      node.setConstantInput(1, Tensor(axes.map(Int64.init), shape: [axes.count]), role: "axes")
    }
    node.trimOmittedInputs()
    return Squeeze()
  }
}
