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

extension Pad: ONNXExportable {
  /// `wrap` arrived in opset 19 and the axes input in opset 18; before, constant axes and pads
  /// over an input of known rank are written as pads for every axis (zeros on the others).
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    try context.requireOpset(19, for: "Pad mode 'wrap'", when: mode == .wrap)
    let attributes: [String: ONNXAttribute?] = ["mode": .choice(mode, default: .constant)]
    guard context.opset < 18, context.hasInput(3) else {
      return [context.onnxNode(attributes: attributes)]
    }
    guard let axes = context.constantIntegers(3), let pads = context.constantIntegers(1),
      let rank = context.inputType(0)?.rank
    else {
      throw context.unsupported(
        "Pad with axes before opset 18 needs constant axes and pads and a known rank; use "
          + "--opset 18 or newer")
    }
    var full = Array(repeating: 0, count: 2 * rank)
    for (index, axis) in axes.enumerated() {
      let axis = try ShapeRules.axis(axis, rank: rank)
      full[axis] = pads[index]
      full[axis + rank] = pads[index + axes.count]
    }
    var inputs = Array(context.node.inputs[..<3])
    inputs[1] = context.integers(full, role: "pads")
    return [context.onnxNode(attributes: attributes, inputs: inputs)]
  }
}
