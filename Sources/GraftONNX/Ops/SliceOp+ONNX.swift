import GraftIR

extension SliceOp: ONNXImportable {
  /// Before opset 10 `starts`, `ends` and `axes` were attributes (and there were no steps); they
  /// become the constant int64 inputs 1, 2 and 3.
  public static func fromONNX(_ node: inout ONNXNode) throws -> SliceOp {
    guard node.opset < 10 else {
      try require(
        node.hasInput(1) && node.hasInput(2), "Slice: inputs 'starts' and 'ends' are required")
      node.trimOmittedInputs()
      return SliceOp()
    }
    guard let starts = try node.ints("starts"), let ends = try node.ints("ends") else {
      throw GraphError.invalidOperator("Slice: attributes 'starts' and 'ends' are required")
    }
    try require(
      node.inputs.count == 1,
      "Slice: opset \(node.opset) takes one input, got \(node.inputs.count)")
    for (index, (role, values)) in [("starts", starts), ("ends", ends)].enumerated() {
      node.setConstantInput(
        index + 1, Tensor(values.map(Int64.init), shape: [values.count]), role: role)
    }
    if let axes = try node.ints("axes") {
      node.setConstantInput(3, Tensor(axes.map(Int64.init), shape: [axes.count]), role: "axes")
    }
    return SliceOp()
  }
}

extension SliceOp: ONNXExportable {
  /// starts, ends, axes and steps are inputs at every opset written (since 10).
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    [context.onnxNode()]
  }
}
