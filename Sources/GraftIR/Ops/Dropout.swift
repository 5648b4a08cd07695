/// Random zeroing used in training; the identity at inference.
///
/// Inputs: `data`, optional scalar `ratio` (in `[0, 1)`, default 0.5) and optional bool
/// `training_mode` (default false). Graft runs models for inference, so `output = data` and the
/// optional second output `mask` is a bool tensor of `data`'s shape, all true. A constant true
/// `training_mode` is rejected unless the ratio is known to be 0, since the output would be random.
public struct Dropout: ConstantFoldable, DataMovementOperator, Hashable {
  public static let opType = "Dropout"

  /// Seed of the random generator in training mode; never used at inference.
  public var seed: Int?

  public init(seed: Int? = nil) {
    self.seed = seed
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let data = try context.type(0)
    try require(
      (1...2).contains(context.outputCount),
      "Dropout: has 1 or 2 outputs (output, mask), got \(context.outputCount)")
    var ratio: Double? = 0.5
    if context.hasInput(1) {
      if let dtype = try context.type(1).dtype {
        try require(
          dtype.isFloatingPoint,
          "Dropout: input 'ratio' must be floating-point, got \(dtype.rawValue)")
      }
      ratio = nil
      if let constant = context.constant(1) {
        try require(constant.count == 1, "Dropout: input 'ratio' must be a scalar")
        let value = constant.doubles()[0]
        try require(value >= 0 && value < 1, "Dropout: ratio \(value) is outside [0, 1)")
        ratio = value
      }
    }
    if context.hasInput(2) {
      try TensorIndexing.requireIndexInput(
        try context.type(2), op: "Dropout", input: "training_mode", allowed: [.bool])
      if context.constant(2)?.integers()?.first == 1 {
        try require(
          ratio == 0,
          "Dropout: training_mode is true with ratio \(ratio.map { "\($0)" } ?? "unknown"), "
            + "which drops elements at random; Graft runs models for inference only")
      }
    }
    return Array([data, ValueType(.bool, data.shape)].prefix(context.outputCount))
  }

  public func fold(_ context: InferenceContext) throws -> [Tensor]? {
    guard let data = context.constant(0), TensorIndexing.canFold(data.shape) else { return nil }
    _ = try inferTypes(context)
    let mask = Tensor(Array(repeating: true, count: data.count), shape: data.shape)
    return Array([data, mask].prefix(context.outputCount))
  }
}
