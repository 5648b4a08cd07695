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

extension ReduceMean: ONNXImportable, ONNXExportable {}
extension ReduceSum: ONNXImportable, ONNXExportable {}
extension ReduceMax: ONNXImportable, ONNXExportable {}
extension ReduceMin: ONNXImportable, ONNXExportable {}
extension ReduceL2: ONNXImportable, ONNXExportable {}

extension ONNXExportable where Self: ReductionOperator {
  /// Before the opset that made `axes` an input (13 for ReduceSum, 18 for the others) a constant
  /// axes input goes back into the attribute, and `noop_with_empty_axes` does not exist: it can
  /// only be left out where axes are given.
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    let axesBecameInput = Self.self == ReduceSum.self ? 13 : 18
    var attributes: [String: ONNXAttribute?] = ["keepdims": .flag(keepdims, default: true)]
    guard context.opset < axesBecameInput else {
      attributes["noop_with_empty_axes"] = .flag(noopWithEmptyAxes)
      return [context.onnxNode(attributes: attributes)]
    }
    let axes =
      try context.attributeEraIntegers(1, name: "axes", becameInput: axesBecameInput) ?? []
    try context.requireOpset(
      axesBecameInput, for: "noop_with_empty_axes = 1 without axes",
      when: noopWithEmptyAxes && axes.isEmpty)
    if !axes.isEmpty { attributes["axes"] = .ints(axes) }
    return [context.onnxNode(attributes: attributes, inputs: [context.node.inputs[0]])]
  }
}
