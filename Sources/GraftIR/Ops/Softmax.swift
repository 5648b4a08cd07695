/// An operator that normalises exponentials along an axis: Softmax and LogSoftmax.
///
/// The IR holds ONNX opset 13's per-axis meaning (`axis` only). ONNX before 13 meant something else
/// for the same attribute: flatten the input to 2-D at `axis` (`[d0·…·d(axis−1), daxis·…·dn−1]`)
/// and normalise each row, i.e. jointly over every axis from `axis` on. `coerceTo2D` keeps that
/// meaning for imported old models. The two coincide when `axis` is the last axis, so the importer
/// sets the flag only where they may differ (an old model with a non-negative axis, whose rank is
/// unknown at import).
public protocol SoftmaxFamilyOperator: Operator {
  /// The axis normalised along; negative counts from the end.
  var axis: Int { get }
  /// Normalise jointly over `axis..<rank` (the meaning before opset 13) instead of over `axis`.
  var coerceTo2D: Bool { get }
  init(axis: Int, coerceTo2D: Bool)
}

extension SoftmaxFamilyOperator {
  /// The axes one normalisation runs over, for an input of `rank`.
  public func normalizedAxes(rank: Int) throws -> Range<Int> {
    let first = try ShapeRules.axis(axis, rank: rank)
    return coerceTo2D ? first..<rank : first..<first + 1
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let input = try context.type(0)
    try ElementTypes.require(input.dtype, in: ElementTypes.floatingPoint, "input")
    if let rank = input.rank { _ = try normalizedAxes(rank: rank) }
    return [input]
  }
}

/// Softmax, the probabilities of a classifier head.
///
/// `y = exp(x − max) / Σ exp(x − max)` over the axes of `normalizedAxes(rank:)`; see
/// `SoftmaxFamilyOperator` for `axis` and `coerceTo2D`.
public struct Softmax: SoftmaxFamilyOperator, Hashable {
  public static let opType = "Softmax"
  public var axis: Int
  public var coerceTo2D: Bool

  public init(axis: Int = -1, coerceTo2D: Bool = false) {
    self.axis = axis
    self.coerceTo2D = coerceTo2D
  }
}
