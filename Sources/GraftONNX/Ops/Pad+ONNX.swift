import GraftIR

/// Before opset 11, `pads` and `value` were attributes: they become the pads input (int64) and,
/// when not 0, the constant_value input. Pad-2 only takes float tensors and its `value` is a
/// float, so that constant is float32; float16 and float64 data padded with a non-zero value are
/// refused by type inference rather than silently changed.
extension Pad: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> Pad {
    let op = Pad(mode: try node.choice("mode", default: .constant))
    if node.opset < 11 {
      guard let pads = try node.ints("pads") else {
        throw GraphError.invalidOperator("Pad-\(node.opset) needs the pads attribute")
      }
      let value = try node.float("value", default: 0)
      node.inputs = [node.inputs.first ?? ""]
      node.setConstantInput(1, Tensor(pads.map(Int64.init), shape: [pads.count]), role: "pads")
      if value != 0 { node.setConstantInput(2, Tensor(scalar: value), role: "constant_value") }
    }
    try require(node.hasInput(1), "Pad needs the pads input")
    node.trimOmittedInputs()
    return op
  }
}
