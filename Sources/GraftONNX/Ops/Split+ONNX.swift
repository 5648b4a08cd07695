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
