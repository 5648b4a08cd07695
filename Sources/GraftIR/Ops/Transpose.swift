/// Permutes a tensor's axes.
///
/// `output[i_perm[0], …, i_perm[k]] = input[i0, …, ik]`, i.e. output axis `a` is input axis
/// `perm[a]`; without `perm` the axes are reversed (a matrix is transposed). `perm` must be a
/// permutation of `0..<rank`.
public struct Transpose: ConstantFoldable, DataMovementOperator, Hashable {
  public static let opType = "Transpose"

  /// The input axis of each output axis; nil reverses the axes.
  public var perm: [Int]?

  public init(perm: [Int]? = nil) {
    self.perm = perm
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let input = try context.type(0)
    guard let shape = input.shape else {
      return [ValueType(input.dtype, perm.map { Array(repeating: .unknown, count: $0.count) })]
    }
    let perm = try permutation(rank: shape.count)
    return [ValueType(input.dtype, perm.map { shape[$0] })]
  }

  /// `perm`, checked against `rank`, or the reversal.
  func permutation(rank: Int) throws -> [Int] {
    guard let perm else { return Array((0..<rank).reversed()) }
    try require(
      perm.sorted() == Array(0..<rank),
      "Transpose: perm \(perm) is not a permutation of the \(rank) axes 0..<\(rank)")
    return perm
  }

  public func fold(_ context: InferenceContext) throws -> [Tensor]? {
    guard let input = context.constant(0), TensorIndexing.canFold(input.shape) else { return nil }
    let perm = try permutation(rank: input.shape.count)
    return [
      TensorIndexing.select(input, axes: perm, indices: perm.map { Array(0..<input.shape[$0]) })
    ]
  }
}

extension Tensor {
  /// The tensor with its axes permuted as Transpose does: output axis `a` is axis `perm[a]`.
  /// Importers use it to fold layouts into weights.
  public func permutingAxes(_ perm: [Int]) -> Tensor {
    TensorIndexing.select(self, axes: perm, indices: perm.map { Array(0..<shape[$0]) })
  }
}
