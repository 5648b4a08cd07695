/// Normalisation of each channel of each sample over its spatial cells.
///
/// `Y[n, c, d] = scale[c]·(X[n, c, d] − μ[n, c])/sqrt(σ²[n, c] + epsilon) + B[c]`, with μ and σ²
/// the mean and (biased) variance of `X[n, c, ·]`. Layout: X `[N, C, D1, …]`, scale and B `[C]`.
public struct InstanceNormalization: Operator, Hashable {
  public static let opType = "InstanceNormalization"

  public var epsilon: Float

  public init(epsilon: Float = 1e-5) {
    self.epsilon = epsilon
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let dtype = try context.commonElementType([0, 1, 2], names: ["input", "scale", "B"])
    let x = try context.channelsFirstShape(0, name: "input")
    for (index, name) in zip(1...2, ["scale", "B"]) {
      _ = try context.type(index)
      try context.requireVector(index, name: name, length: x?[1] ?? .unknown)
    }
    return [ValueType(dtype, x)]
  }
}
