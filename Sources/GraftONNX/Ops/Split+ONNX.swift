import GraftIR

extension Split: ONNXImportable {
  /// Before opset 13 `split` was an attribute; it becomes the constant int64 input 1. Opset 18
  /// added `num_outputs`, which excludes the `split` input.
  public static func fromONNX(_ node: inout ONNXNode) throws -> Split {
    let axis = try node.int("axis", default: 0)
    let numOutputs = try node.int("num_outputs")
    if node.opset < 13, let split = try node.ints("split") {
      node.setConstantInput(1, Tensor(split.map(Int64.init), shape: [split.count]), role: "split")
    }
    node.trimOmittedInputs()
    if let numOutputs {
      try require(numOutputs >= 1, "Split: num_outputs must be at least 1, got \(numOutputs)")
      try require(
        !node.hasInput(1), "Split: give either the 'split' input or num_outputs, not both")
    }
    return Split(axis: axis, numOutputs: numOutputs)
  }
}

extension Split: ONNXExportable {
  /// Without the split input, opset 18 on writes `num_outputs` (the number of outputs). Opset 13
  /// has no `num_outputs` and cuts into equal parts only: an axis of known size that does not
  /// divide evenly gets its part lengths as a constant split input.
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    var attributes: [String: ONNXAttribute?] = ["axis": .int(axis, default: 0)]
    var inputs = context.node.inputs
    let count = context.node.outputs.count
    let equalParts = !context.hasInput(1)
    if equalParts, context.opset >= 18 {
      attributes["num_outputs"] = .int(count)
    } else if equalParts, let shape = context.inputType(0)?.shape,
      let size = shape[try ShapeRules.axis(axis, rank: shape.count)].value, size % count != 0
    {
      let part = (size + count - 1) / count
      let lengths = Array(repeating: part, count: count - 1) + [size - part * (count - 1)]
      inputs = [inputs[0], context.integers(lengths, role: "split")]
    }
    return [context.onnxNode(attributes: attributes, inputs: inputs)]
  }
}
