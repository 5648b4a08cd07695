import GraftIR

/// Resize-10 takes `[X, scales]` and, like Upsample, maps output cells back with `o/scale`, taking
/// the floor for nearest (ONNX's version converter to opset 11 says the same): it imports as
/// `[X, "", scales]` with `asymmetric` and `floor`. From opset 11 every attribute reads with its
/// default; those added later (`antialias`, `axes`, `keep_aspect_ratio_policy`) are absent before
/// opset 18 and so take their defaults, which are the earlier behaviour.
extension Resize: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> Resize {
    if node.opset < 11 {
      let mode: Mode = try node.choice("mode", default: .nearest)
      try require(mode != .cubic, "Resize-10 supports modes 'nearest' and 'linear', not 'cubic'")
      try require(node.hasInput(1), "Resize-10 needs the scales input")
      node.inputs = [node.inputs[0], "", node.inputs[1]]
      return Resize(coordinateTransformationMode: .asymmetric, mode: mode, nearestMode: .floor)
    }
    let op = Resize(
      antialias: try node.flag("antialias"),
      axes: try node.ints("axes"),
      coordinateTransformationMode: try node.choice(
        "coordinate_transformation_mode", default: .halfPixel),
      cubicCoeffA: try node.float("cubic_coeff_a", default: -0.75),
      excludeOutside: try node.flag("exclude_outside"),
      extrapolationValue: try node.float("extrapolation_value", default: 0),
      keepAspectRatioPolicy: try node.choice("keep_aspect_ratio_policy", default: .stretch),
      mode: try node.choice("mode", default: .nearest),
      nearestMode: try node.choice("nearest_mode", default: .roundPreferFloor))
    node.trimOmittedInputs()
    return op
  }
}

extension Resize: ONNXExportable {
  /// `antialias`, `axes` and `keep_aspect_ratio_policy` arrived in opset 18 and the
  /// `half_pixel_symmetric` mode in opset 19; `tf_half_pixel_for_nn` existed only in opset 11.
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    if coordinateTransformationMode == .tfHalfPixelForNN {
      throw context.unsupported(
        "coordinate_transformation_mode tf_half_pixel_for_nn exists only in opset 11")
    }
    try context.requireOpset(18, for: "Resize with antialias", when: antialias)
    try context.requireOpset(18, for: "Resize with axes", when: axes != nil)
    try context.requireOpset(
      18, for: "keep_aspect_ratio_policy \(keepAspectRatioPolicy.rawValue)",
      when: keepAspectRatioPolicy != .stretch)
    try context.requireOpset(
      19, for: "coordinate_transformation_mode half_pixel_symmetric",
      when: coordinateTransformationMode == .halfPixelSymmetric)
    return [
      context.onnxNode(attributes: [
        "antialias": .flag(antialias),
        "axes": axes.map(ONNXAttribute.ints),
        "coordinate_transformation_mode": .choice(
          coordinateTransformationMode, default: .halfPixel),
        "cubic_coeff_a": .float(cubicCoeffA, default: -0.75),
        "exclude_outside": .flag(excludeOutside),
        "extrapolation_value": .float(extrapolationValue, default: 0),
        "keep_aspect_ratio_policy": .choice(keepAspectRatioPolicy, default: .stretch),
        "mode": .choice(mode, default: .nearest),
        "nearest_mode": .choice(nearestMode, default: .roundPreferFloor),
      ])
    ]
  }
}
