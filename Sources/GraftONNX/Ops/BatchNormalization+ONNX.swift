import GraftIR

/// Opsets 6 to 8 may carry `spatial` (only the default 1, statistics per channel, is supported),
/// opset 6 `is_test` and opset 1 `consumed_inputs`: neither changes the inference-mode meaning,
/// so both are ignored. Opset 14's `training_mode = 1` is refused: it normalises with the batch's
/// own statistics, which the IR does not model.
extension BatchNormalization: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> BatchNormalization {
    let spatial = try node.int("spatial", default: 1)
    try require(
      spatial == 1,
      "spatial = \(spatial) (statistics per activation rather than per channel) is not supported; "
        + "only spatial = 1 is")
    let trainingMode = try node.int("training_mode", default: 0)
    try require(
      trainingMode == 0,
      "training_mode = \(trainingMode) is not supported: only inference mode (0) is")
    return BatchNormalization(
      epsilon: try node.float("epsilon", default: 1e-5),
      momentum: try node.float("momentum", default: 0.9))
  }
}

extension BatchNormalization: ONNXExportable {
  /// Written in inference mode (`training_mode`, opset 14, left at its default 0).
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    [
      context.onnxNode(attributes: [
        "epsilon": .float(epsilon, default: 1e-5), "momentum": .float(momentum, default: 0.9),
      ])
    ]
  }
}
