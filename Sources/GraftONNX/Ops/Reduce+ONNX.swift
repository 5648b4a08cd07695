import GraftIR

extension ONNXImportable where Self: ReductionOperator {
  /// `axes` became an input in ReduceSum-13 and in the other reductions' opset 18; before that the
  /// attribute becomes a constant int64 input. `noop_with_empty_axes` appeared with the input and
  /// defaults to 0, the older behaviour.
  public static func fromONNX(_ node: inout ONNXNode) throws -> Self {
    let axesBecameInput = Self.self == ReduceSum.self ? 13 : 18
    if let axes = try node.ints("axes") {
      try require(
        node.opset < axesBecameInput,
        "\(Self.opType) takes axes as an input since opset \(axesBecameInput), not as an attribute")
      try require(
        !node.hasInput(1),
        "\(Self.opType) before opset \(axesBecameInput) takes axes as an attribute, not an input")
      node.setConstantInput(1, Tensor(axes.map(Int64.init), shape: [axes.count]), role: "axes")
    }
    return Self(
      keepdims: try node.int("keepdims", default: 1) != 0,
      noopWithEmptyAxes: try node.int("noop_with_empty_axes", default: 0) != 0)
  }
}

extension ReduceMean: ONNXImportable {}
extension ReduceSum: ONNXImportable {}
extension ReduceMax: ONNXImportable {}
extension ReduceMin: ONNXImportable {}
extension ReduceL2: ONNXImportable {}
