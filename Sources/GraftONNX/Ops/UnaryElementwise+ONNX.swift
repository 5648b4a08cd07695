import GraftIR

// Opsets 1–5 added `consumed_inputs`, which has no meaning for inference; the importer reads opset
// 7 and newer, where these ops have no attributes.
extension Relu: AttributeFreeONNXImportable, ONNXExportable {}
extension Sigmoid: AttributeFreeONNXImportable, ONNXExportable {}
extension Tanh: AttributeFreeONNXImportable, ONNXExportable {}
extension Erf: AttributeFreeONNXImportable, ONNXExportable {}
extension Sqrt: AttributeFreeONNXImportable, ONNXExportable {}
extension Exp: AttributeFreeONNXImportable, ONNXExportable {}
extension Log: AttributeFreeONNXImportable, ONNXExportable {}
extension Abs: AttributeFreeONNXImportable, ONNXExportable {}
extension Neg: AttributeFreeONNXImportable, ONNXExportable {}
extension Reciprocal: AttributeFreeONNXImportable, ONNXExportable {}
extension Floor: AttributeFreeONNXImportable, ONNXExportable {}
extension Ceil: AttributeFreeONNXImportable, ONNXExportable {}
extension Not: AttributeFreeONNXImportable, ONNXExportable {}

extension HardSwish: AttributeFreeONNXImportable, ONNXExportable {
  /// HardSwish arrived in opset 14; before, it is `x · HardSigmoid(x)` with `alpha = 1/6` and
  /// `beta = 0.5`, its definition.
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    guard context.opset < 14 else { return [context.onnxNode()] }
    var nodes: [ONNXNode] = []
    let x = context.node.inputs[0]
    let gate = context.emit(
      "HardSigmoid", [x], into: &nodes, attributes: ["alpha": .float(1 / 6), "beta": .float(0.5)])
    _ = context.emit("Mul", [x, gate], into: &nodes, output: context.node.outputs[0])
    return nodes
  }
}
