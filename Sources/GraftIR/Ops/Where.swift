/// Elementwise selection between two tensors by a bool mask.
///
/// `output = condition ? X : Y`, with NumPy broadcasting across all three inputs; `X` and `Y` share
/// a dtype, which the output has. Folds, since shape subgraphs select dims with it.
public struct Where: ElementwiseFoldable, Hashable {
  public static let opType = "Where"

  public init() {}

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let condition = try context.type(0)
    let x = try context.type(1)
    let y = try context.type(2)
    try ElementTypes.require(condition.dtype, in: [.bool], "condition")
    try ElementTypes.requireSame([x, y], roles: ["input X", "input Y"])
    return [ValueType(x.dtype ?? y.dtype, try ShapeRules.broadcast([condition, x, y]))]
  }

  public static func integer(_ operands: [Int64]) -> Int64? {
    operands[0] != 0 ? operands[1] : operands[2]
  }

  public static func floating(_ operands: [Double]) -> Double {
    operands[0] != 0 ? operands[1] : operands[2]
  }
}
