/// Gaussian error linear unit, the activation of BERT- and ViT-style MLP blocks.
///
/// Exact: `y = x/2 · (1 + erf(x/√2))`. With `approximate = .tanh`:
/// `y = x/2 · (1 + tanh(√(2/π) · (x + 0.044715 · x³)))`.
public struct Gelu: UnaryElementwiseOperator, Hashable {
  public static let opType = "Gelu"
  public static let acceptedTypes = ElementTypes.floatingPoint

  /// ONNX's `approximate` attribute, with its spellings as raw values.
  public enum Approximation: String, Sendable, Hashable, CaseIterable {
    /// The erf form (ONNX `"none"`).
    case exact = "none"
    /// The tanh form.
    case tanh
  }

  /// Which formula to use.
  public var approximate: Approximation

  public init(approximate: Approximation = .exact) { self.approximate = approximate }
}
