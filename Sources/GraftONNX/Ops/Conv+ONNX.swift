import GraftIR

extension Conv: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> Conv {
    let op = Conv(
      autoPad: try node.choice("auto_pad", default: .notSet),
      dilations: try node.ints("dilations"),
      group: try node.int("group", default: 1),
      kernelShape: try node.ints("kernel_shape"),
      pads: try node.ints("pads"),
      strides: try node.ints("strides"))
    try require(op.group >= 1, "group should be at least 1, got \(op.group)")
    if let kernel = op.kernelShape { _ = try op.window(spatialRank: kernel.count, weight: nil) }
    return op
  }
}

extension ONNXNode {
  /// A string attribute naming one case of `E` (such as `auto_pad` or Resize's `mode`), or
  /// `defaultValue` when absent.
  ///
  /// An empty string also means the default: some exporters write `auto_pad = ""` for NOTSET.
  func choice<E: RawRepresentable & CaseIterable>(
    _ key: String, default defaultValue: E
  ) throws -> E where E.RawValue == String {
    guard let text = try string(key), !text.isEmpty else { return defaultValue }
    guard let value = E(rawValue: text) else {
      let allowed = E.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
      throw GraphError.invalidOperator(
        "attribute '\(key)' is '\(text)'; expected one of \(allowed)")
    }
    return value
  }

  /// A 0/1 integer attribute as a Bool.
  func flag(_ key: String, default defaultValue: Bool = false) throws -> Bool {
    guard let value = try int(key) else { return defaultValue }
    try require(value == 0 || value == 1, "attribute '\(key)' should be 0 or 1, got \(value)")
    return value == 1
  }
}

extension Conv: ONNXExportable {
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    var attributes = windowAttributes(
      kernelShape: kernelShape, strides: strides, dilations: dilations)
    attributes["group"] = .int(group, default: 1)
    return [context.onnxNode(attributes: attributes)]
  }
}

extension SlidingWindowOperator {
  /// The window attributes convolutions and poolings share, with ONNX names; the absent and the
  /// defaults left out.
  func windowAttributes(
    kernelShape: [Int]?, strides: [Int]?, dilations: [Int]?
  ) -> [String: ONNXAttribute?] {
    [
      "auto_pad": .choice(autoPad, default: .notSet),
      "kernel_shape": kernelShape.map(ONNXAttribute.ints),
      "pads": pads.map(ONNXAttribute.ints),
      "strides": strides.map(ONNXAttribute.ints),
      "dilations": dilations.map(ONNXAttribute.ints),
    ]
  }
}
