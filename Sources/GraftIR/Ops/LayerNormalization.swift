/// Normalisation of each sample over its trailing axes, from `axis` to the last.
///
/// With the normalised shape `X.shape[axis…]`: `Mean = mean(X)` and `InvStdDev = 1/sqrt(var(X) +
/// epsilon)` over those axes, computed in `stashType`; `Y = (X − Mean)·InvStdDev·Scale + B`, where
/// Scale and the optional B broadcast to the normalised shape. The optional outputs Mean and
/// InvStdDev have X's shape with the normalised axes set to 1, and element type `stashType`.
public struct LayerNormalization: Operator, Hashable {
  public static let opType = "LayerNormalization"

  public var axis: Int
  public var epsilon: Float
  public var stashType: DType

  public init(axis: Int = -1, epsilon: Float = 1e-5, stashType: DType = .float32) {
    self.axis = axis
    self.epsilon = epsilon
    self.stashType = stashType
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let dtype = try context.commonElementType([0], names: ["X"])
    _ = try context.commonElementType([1, 2], names: ["Scale", "B"])
    try require(
      stashType.isFloatingPoint, "stash_type should be a floating-point type, got \(stashType)")
    try require(context.outputCount <= 3, "LayerNormalization has at most 3 outputs")
    _ = try context.type(1)
    guard let x = try context.type(0).shape else {
      return [ValueType(dtype, nil)]
        + Array(repeating: ValueType(stashType, nil), count: max(0, context.outputCount - 1))
    }
    let first = try ShapeRules.axis(axis, rank: x.count)
    let normalised = Array(x[first...])
    for (index, name) in zip(1...2, ["Scale", "B"]) {
      guard context.hasInput(index), let shape = context.inputTypes[index]?.shape else { continue }
      let broadcast = try? ShapeRules.broadcast([normalised, shape])
      let fits = broadcast.map { zip($0, normalised).allSatisfy { $1.value == nil || $0 == $1 } }
      try require(
        shape.count <= normalised.count && fits == true,
        "\(name) \(shape.shapeDescription) does not broadcast to the normalised shape "
          + normalised.shapeDescription)
    }
    let statistics = ValueType(
      stashType, Array(x[..<first]) + Array(repeating: .fixed(1), count: x.count - first))
    return [ValueType(dtype, x)]
      + Array(repeating: statistics, count: max(0, context.outputCount - 1))
  }
}
