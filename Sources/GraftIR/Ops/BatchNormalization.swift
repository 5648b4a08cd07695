/// Per-channel normalisation with stored statistics (inference mode).
///
/// `Y = scale·(X − mean)/sqrt(var + epsilon) + B`, broadcast along the channel axis 1 of X
/// `[N, C, D1, …]` (rank 2 or more); scale, B, mean and var are `[C]`. `momentum` only matters
/// for training and is kept for export. Old opsets declared training outputs (running or saved
/// mean and variance) after Y: they are typed `[C]` like `mean` so such models import, but only
/// output 0 is computed; nothing in inference mode reads the others.
public struct BatchNormalization: Operator, Hashable {
  public static let opType = "BatchNormalization"

  public var epsilon: Float
  public var momentum: Float

  public init(epsilon: Float = 1e-5, momentum: Float = 0.9) {
    self.epsilon = epsilon
    self.momentum = momentum
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let dtype = try context.commonElementType([0], names: ["X"])
    _ = try context.commonElementType([1, 2], names: ["scale", "B"])
    let statistics = try context.commonElementType([3, 4], names: ["mean", "var"])
    try require(context.outputCount <= 5, "BatchNormalization has at most 5 outputs")
    let x = try context.channelsFirstShape(0, name: "X", minimumRank: 2)
    let channels = x?[1] ?? .unknown
    for (index, name) in zip(1...4, ["scale", "B", "mean", "var"]) {
      _ = try context.type(index)
      try context.requireVector(index, name: name, length: channels)
    }
    let statisticsType = ValueType(statistics ?? dtype, [channels])
    return [ValueType(dtype, x)]
      + Array(repeating: statisticsType, count: max(0, context.outputCount - 1))
  }

  /// Y only: a multiply and an add per element once the statistics are folded into the scale.
  public func flops(_ context: InferenceContext, outputs: [ValueType]) -> Int? {
    ShapeRules.elementCount(outputs.first?.shape).map { 2 * $0 }
  }
}
