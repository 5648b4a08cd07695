/// A tensor of a given shape filled with one value.
///
/// The 1-D int64 input holds the output dims (each ≥ 0; an empty input gives a scalar); `value`
/// is a one-element tensor whose dtype and element fill the output. Symbolic dims of the shape
/// input (from `Shape`) carry over to the output type.
public struct ConstantOfShape: ConstantFoldable {
  public static let opType = "ConstantOfShape"

  /// The one-element fill value; float32 0 by default.
  public var value: Tensor

  public init(value: Tensor = Tensor([Float(0)], shape: [1])) {
    self.value = value
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let shapeType = try context.type(0)
    try TensorIndexing.requireIndexInput(shapeType, op: "ConstantOfShape", input: "input", rank: 1)
    try require(
      value.count == 1,
      "ConstantOfShape: 'value' must hold one element, got shape \(value.dims.shapeDescription)")
    guard let dims = context.shapeValue(0) else {
      let rank = shapeType.shape?.first?.value
      return [ValueType(value.dtype, rank.map { Array(repeating: .unknown, count: $0) })]
    }
    for dim in dims {
      if let size = dim.value {
        try require(size >= 0, "ConstantOfShape: negative dim \(size) in \(dims.shapeDescription)")
      }
    }
    return [ValueType(value.dtype, dims)]
  }

  public func fold(_ context: InferenceContext) throws -> [Tensor]? {
    guard let shape = try inferTypes(context)[0].shape?.fixedSizes,
      TensorIndexing.canFold(shape)
    else { return nil }
    let count = shape.reduce(1, *)
    let elementSize = value.dtype.byteSize
    let buffer = TensorBuffer(byteCount: count * elementSize) { out in
      value.buffer.withUnsafeBytes { element in
        for index in 0..<count {
          UnsafeMutableRawBufferPointer(rebasing: out[(index * elementSize)...])
            .copyMemory(from: element)
        }
      }
    }
    return [Tensor(dtype: value.dtype, shape: shape, buffer: buffer)]
  }
}
