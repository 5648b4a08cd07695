/// Matrix product with NumPy semantics (`numpy.matmul`).
///
/// A `[…, M, K]` times B `[…, K, N]` gives `[…, M, N]`, the leading (batch) dims broadcast. A 1-D
/// A is taken as `[1, K]` and a 1-D B as `[K, 1]`, and that inserted axis is removed from the
/// result, so vector·vector is a scalar.
public struct MatMul: Operator, Hashable {
  public static let opType = "MatMul"

  public init() {}

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let dtype = try context.commonElementType([0, 1], names: ["A", "B"], floatingPointOnly: false)
    guard let a = try context.type(0).shape, let b = try context.type(1).shape else {
      return [ValueType(dtype, nil)]
    }
    try require(a.count >= 1 && b.count >= 1, "MatMul needs inputs of rank 1 or more, not scalars")
    let left = a.count == 1 ? [.fixed(1)] + a : a
    let right = b.count == 1 ? b + [.fixed(1)] : b
    let k = left[left.count - 1]
    let kb = right[right.count - 2]
    if let k = k.value, let kb = kb.value {
      try require(
        k == kb,
        "inner dims differ: A \(a.shapeDescription) has \(k) columns, B \(b.shapeDescription) "
          + "has \(kb) rows")
    }
    var shape = try ShapeRules.broadcast([Array(left.dropLast(2)), Array(right.dropLast(2))])
    if a.count > 1 { shape.append(left[left.count - 2]) }
    if b.count > 1 { shape.append(right[right.count - 1]) }
    return [ValueType(dtype, shape)]
  }

  /// `2·M·N·K` per batch element: 2·K per output element.
  public func flops(_ context: InferenceContext, outputs: [ValueType]) -> Int? {
    guard let y = outputs.first?.shape?.fixedSizes, let a = (try? context.type(0))?.shape,
      let k = a.last?.value
    else { return nil }
    return 2 * y.reduce(1, *) * k
  }
}
