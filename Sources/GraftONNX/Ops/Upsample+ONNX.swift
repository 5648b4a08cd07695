import GraftIR

/// ONNX `Upsample` (opsets 7 to 10), imported as the `Resize` it is a special case of.
///
/// Upsample maps output cell `o` to input coordinate `o/scale` and takes the floor for nearest,
/// which is Resize's `asymmetric` transformation with nearest mode `floor`. Opset 7's `scales`
/// attribute becomes a constant input; from opset 9 scales is input 1 and moves to Resize's
/// input 2, after an omitted roi.
enum UpsampleImport {
  static func fromONNX(_ node: inout ONNXNode) throws -> Resize {
    let mode: Resize.Mode = try node.choice("mode", default: .nearest)
    try require(mode != .cubic, "Upsample supports modes 'nearest' and 'linear', not 'cubic'")
    if node.opset < 9 {
      guard let scales = try node.floats("scales") else {
        throw GraphError.invalidOperator("Upsample-\(node.opset) needs the scales attribute")
      }
      try require(
        scales.allSatisfy { $0 >= 1 }, "Upsample scales should all be at least 1, got \(scales)")
      node.inputs = [node.inputs.first ?? ""]
      node.setConstantInput(2, Tensor(scales, shape: [scales.count]), role: "scales")
    } else {
      try require(node.hasInput(1), "Upsample-\(node.opset) needs the scales input")
      node.inputs = [node.inputs[0], "", node.inputs[1]]
    }
    return Resize(coordinateTransformationMode: .asymmetric, mode: mode, nearestMode: .floor)
  }
}
