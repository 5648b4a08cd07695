/// Joins tensors along one axis.
///
/// `output[…, k, …]` is input `j`'s element `k − (d0 + … + d(j−1))` along `axis`, where `di` is
/// input `i`'s size on that axis; all inputs share dtype and rank and agree on every other dim.
/// `axis` may be negative, counting from the end (`-rank..<rank`). Concatenating shape values keeps
/// them symbolic, which is how `Shape → Gather → Concat` builds a `[N, 512]` reshape target.
public struct Concat: ConstantFoldable, ShapeValuePropagating, DataMovementOperator, Hashable {
  public static let opType = "Concat"

  /// The axis to join along.
  public var axis: Int

  public init(axis: Int) {
    self.axis = axis
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    try require(!context.inputTypes.isEmpty, "Concat: needs at least one input")
    let types = try context.inputTypes.indices.map { try context.type($0) }
    let dtype = try TensorIndexing.commonDType(types, op: "Concat")
    let shapes = types.map(\.shape)
    guard let rank = shapes.lazy.compactMap({ $0?.count }).first else {
      return [ValueType(dtype, nil)]
    }
    let axis = try TensorIndexing.axis(self.axis, rank: rank, op: "Concat")
    var output = [Dim](repeating: .unknown, count: rank)
    for (index, shape) in shapes.enumerated() {
      guard let shape else { continue }
      try require(
        shape.count == rank,
        "Concat: input \(index) has rank \(shape.count), input 0 has rank \(rank)")
      for dim in 0..<rank where dim != axis {
        output[dim] = try merge(output[dim], shape[dim], input: index, axis: dim)
      }
    }
    let joined = shapes.map { $0?[axis] ?? .unknown }.filter { $0 != .fixed(0) }
    if joined.count == 1 {
      output[axis] = joined[0]
    } else if let sizes = joined.fixedSizes {
      output[axis] = TensorIndexing.checkedSum(sizes).map(Dim.fixed) ?? .unknown
    }
    return [ValueType(dtype, output)]
  }

  /// The dim two inputs agree on: a fixed size over a symbol, the first symbol over another.
  private func merge(_ current: Dim, _ next: Dim, input: Int, axis: Int) throws -> Dim {
    switch (current, next) {
    case (.fixed(let a), .fixed(let b)):
      try require(
        a == b,
        "Concat: input \(input) has size \(b) on axis \(axis) where the inputs before have \(a)")
      return current
    case (.fixed, _), (.symbol, .symbol), (.symbol, .unknown): return current
    default: return next
    }
  }

  public func fold(_ context: InferenceContext) throws -> [Tensor]? {
    guard let constants = context.allConstants else { return nil }
    let parts = constants.compactMap { $0 }
    guard let shape = try inferTypes(context)[0].shape?.fixedSizes,
      TensorIndexing.canFold(shape)
    else { return nil }
    let axis = self.axis < 0 ? self.axis + shape.count : self.axis
    return [TensorIndexing.concatenate(parts, axis: axis)]
  }

  public func shapeValues(_ context: InferenceContext) -> [[Dim]?] {
    guard (try? inferTypes(context))?.first?.rank == 1 else { return [nil] }
    var values: [Dim] = []
    for index in context.inputTypes.indices {
      guard let part = context.shapeValue(index) else { return [nil] }
      values += part
    }
    return [values]
  }
}
