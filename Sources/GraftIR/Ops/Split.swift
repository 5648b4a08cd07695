/// Cuts a tensor into consecutive parts along one axis, one part per output.
///
/// The optional 1-D int64 input `split` gives each part's length (they must add up to the axis
/// size). Without it the axis is cut into `n = outputs` parts of `⌈d / n⌉`, the last part taking
/// what remains (it is shorter when `d` is not a multiple of `n`). `numOutputs`, when set, must
/// equal the number of outputs.
public struct Split: ConstantFoldable, DataMovementOperator, Hashable {
  public static let opType = "Split"

  /// The axis to cut; negative counts from the end.
  public var axis: Int
  /// The number of equal parts (ONNX `num_outputs`, opset 18); the node's outputs otherwise.
  public var numOutputs: Int?

  public init(axis: Int = 0, numOutputs: Int? = nil) {
    self.axis = axis
    self.numOutputs = numOutputs
  }

  /// Part lengths of an axis of `size`: from `split` when given, equal parts otherwise; nil when
  /// `split` is given but not known.
  func lengths(_ context: InferenceContext, size: Dim) throws -> [Dim]? {
    let count = context.outputCount
    try require(count >= 1, "Split: the node has no outputs")
    if let numOutputs {
      try require(
        numOutputs == count,
        "Split: num_outputs is \(numOutputs) but the node has \(count) outputs")
    }
    if context.hasInput(1) {
      try TensorIndexing.requireIndexInput(
        try context.type(1), op: "Split", input: "split", rank: 1)
      guard let lengths = context.knownIntegers(1) else { return nil }
      try require(
        lengths.count == count,
        "Split: 'split' has \(lengths.count) lengths but the node has \(count) outputs")
      try require(lengths.allSatisfy { $0 >= 0 }, "Split: negative length in 'split' \(lengths)")
      if let size = size.value {
        let total = TensorIndexing.checkedSum(lengths)
        try require(
          total == size,
          "Split: the lengths \(lengths) add up to \(total.map(String.init) ?? "too much"), "
            + "not the axis size \(size)")
      }
      return lengths.map(Dim.fixed)
    }
    guard let size = size.value else {
      return count == 1 ? [size] : Array(repeating: .unknown, count: count)
    }
    let part = size / count + (size % count == 0 ? 0 : 1)
    let last = size - part * (count - 1)
    try require(
      last >= 0,
      "Split: an axis of size \(size) cannot be cut into \(count) parts of \(part) and a last part")
    return Array(repeating: .fixed(part), count: count - 1) + [.fixed(last)]
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let input = try context.type(0)
    guard let shape = input.shape else {
      _ = try lengths(context, size: .unknown)
      return Array(repeating: ValueType(input.dtype, nil), count: context.outputCount)
    }
    let axis = try TensorIndexing.axis(self.axis, rank: shape.count, op: "Split")
    let lengths =
      try self.lengths(context, size: shape[axis])
      ?? Array(repeating: .unknown, count: context.outputCount)
    return lengths.map { length in
      var part = shape
      part[axis] = length
      return ValueType(input.dtype, part)
    }
  }

  public func fold(_ context: InferenceContext) throws -> [Tensor]? {
    guard let input = context.constant(0), TensorIndexing.canFold(input.shape) else { return nil }
    let axis = try TensorIndexing.axis(self.axis, rank: input.shape.count, op: "Split")
    guard let lengths = try lengths(context, size: .fixed(input.shape[axis]))?.fixedSizes else {
      return nil
    }
    var start = 0
    return lengths.map { length in
      var indices = input.shape.map { Array(0..<$0) }
      indices[axis] = Array(start..<(start + length))
      start += length
      return TensorIndexing.select(input, indices: indices)
    }
  }
}
