/// Element copying and shape arithmetic shared by the shape and data-movement operators.
///
/// Folding works on raw bytes so that one code path serves every dtype. Tensors are row-major:
/// element `[i0, …, ik]` starts at byte `(i0·s0 + … + ik·sk)·byteSize` where the stride
/// `sa = d(a+1)·…·dk` counts elements.
enum TensorIndexing {
  /// Largest result, in elements, that constant folding materialises (`Constant` aside). Larger
  /// results, such as an `Expand` or `Tile` of a weight, stay as nodes so that a saved model does
  /// not grow by the size of the expanded tensor.
  static let maxFoldedElements = 1_000_000

  /// Whether a result of this shape is small enough to fold.
  static func canFold(_ shape: [Int]) -> Bool {
    guard let count = ShapeRules.checkedProduct(shape) else { return false }
    return count <= maxFoldedElements
  }

  /// The sum of `values`, or nil when it overflows.
  static func checkedSum<S: Sequence<Int>>(_ values: S) -> Int? {
    var sum = 0
    for value in values {
      let (result, overflow) = sum.addingReportingOverflow(value)
      if overflow { return nil }
      sum = result
    }
    return sum
  }

  /// Row-major strides of `shape`, in elements.
  static func strides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    for axis in stride(from: shape.count - 2, through: 0, by: -1) {
      strides[axis] = strides[axis + 1] * shape[axis + 1]
    }
    return strides
  }

  /// Copies elements of `source` into a tensor of shape `indices.map(\.count)`.
  ///
  /// Output axis `a` walks source axis `axes[a]` (the identity when nil) through the source
  /// positions `indices[a]`, so one call expresses Transpose (permuted axes), Slice (strided
  /// positions), Tile (repeated positions), Expand (position 0 repeated) and Gather (any
  /// positions). `axes` must be a permutation of the source axes.
  static func select(_ source: Tensor, axes: [Int]? = nil, indices: [[Int]]) -> Tensor {
    let rank = source.shape.count
    let axes = axes ?? Array(0..<rank)
    precondition(axes.count == rank && indices.count == rank, "one index list per source axis")
    let elementSize = source.dtype.byteSize
    let sourceStrides = strides(source.shape)
    let offsets = (0..<rank).map { axis in
      indices[axis].map { $0 * sourceStrides[axes[axis]] * elementSize }
    }
    let shape = indices.map(\.count)
    let count = shape.reduce(1, *)
    let buffer = TensorBuffer(byteCount: count * elementSize) { out in
      guard count > 0 else { return }
      source.buffer.withUnsafeBytes { input in
        guard rank > 0 else {
          out.copyMemory(from: input)
          return
        }
        let inner = offsets[rank - 1]
        let innerIsContiguous = inner.indices.allSatisfy {
          inner[$0] == inner[0] + $0 * elementSize
        }
        let innerBytes = inner.count * elementSize
        var position = [Int](repeating: 0, count: rank - 1)
        var written = 0
        while true {
          var base = 0
          for axis in 0..<(rank - 1) { base += offsets[axis][position[axis]] }
          let destination = out.baseAddress! + written
          if innerIsContiguous {
            destination.copyMemory(
              from: input.baseAddress! + base + inner[0], byteCount: innerBytes)
          } else {
            for (index, offset) in inner.enumerated() {
              (destination + index * elementSize).copyMemory(
                from: input.baseAddress! + base + offset, byteCount: elementSize)
            }
          }
          written += innerBytes
          var axis = rank - 2
          while axis >= 0 {
            position[axis] += 1
            if position[axis] < shape[axis] { break }
            position[axis] = 0
            axis -= 1
          }
          if axis < 0 { break }
        }
      }
    }
    return Tensor(dtype: source.dtype, shape: shape, buffer: buffer)
  }

  /// Joins tensors of one dtype and rank along `axis`; the other dims must agree.
  static func concatenate(_ parts: [Tensor], axis: Int) -> Tensor {
    var shape = parts[0].shape
    shape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
    let elementSize = parts[0].dtype.byteSize
    let outer = shape[..<axis].reduce(1, *)
    let rowBytes = parts.map { $0.shape[axis...].reduce(1, *) * elementSize }
    let buffer = TensorBuffer(byteCount: shape.reduce(1, *) * elementSize) { out in
      var written = 0
      for row in 0..<outer {
        for (part, bytes) in zip(parts, rowBytes) where bytes > 0 {
          part.buffer.withUnsafeBytes { input in
            (out.baseAddress! + written).copyMemory(
              from: input.baseAddress! + row * bytes, byteCount: bytes)
          }
          written += bytes
        }
      }
    }
    return Tensor(dtype: parts[0].dtype, shape: shape, buffer: buffer)
  }

  /// `source` broadcast (NumPy rules, right-aligned) to `shape`, which must be compatible.
  static func broadcast(_ source: Tensor, to shape: [Int]) -> Tensor {
    let padded = Array(repeating: 1, count: shape.count - source.shape.count) + source.shape
    let indices = zip(padded, shape).map { size, target in
      size == target ? Array(0..<target) : Array(repeating: 0, count: target)
    }
    return select(source.reshaped(padded), indices: indices)
  }

  /// The product of dims: fixed when all are fixed (or one is 0), a symbol when exactly one symbol
  /// remains next to fixed 1s, unknown otherwise.
  static func product<C: Collection<Dim>>(_ dims: C) -> Dim {
    var fixed: Int? = 1
    var symbols: [String] = []
    var hasUnknown = false
    for dim in dims {
      switch dim {
      case .fixed(let n): fixed = fixed.flatMap { ShapeRules.checkedProduct([$0, n]) }
      case .symbol(let name): symbols.append(name)
      case .unknown: hasUnknown = true
      }
    }
    if dims.contains(.fixed(0)) { return .fixed(0) }
    guard let fixed, !hasUnknown else { return .unknown }
    if symbols.isEmpty { return .fixed(fixed) }
    return symbols.count == 1 && fixed == 1 ? .symbol(symbols[0]) : .unknown
  }

  /// `ShapeRules.axis` with the operator's name in front of its error message.
  static func axis(_ axis: Int, rank: Int, op: String) throws -> Int {
    do {
      return try ShapeRules.axis(axis, rank: rank)
    } catch GraphError.invalidOperator(let message) {
      throw GraphError.invalidOperator("\(op): \(message)")
    }
  }

  /// Checks that an index-like input has one of the `allowed` dtypes and, when `rank` is given,
  /// that rank; unknown dtypes and ranks pass.
  static func requireIndexInput(
    _ type: ValueType, op: String, input: String, allowed: [DType] = [.int64], rank: Int? = nil
  ) throws {
    if let dtype = type.dtype {
      let names = allowed.map(\.rawValue).joined(separator: " or ")
      try require(
        allowed.contains(dtype), "\(op): input '\(input)' must be \(names), got \(dtype.rawValue)")
    }
    if let rank, let actual = type.rank {
      try require(actual == rank, "\(op): input '\(input)' must have rank \(rank), got \(actual)")
    }
  }

  /// The dtype all `types` share, nil when none is known.
  static func commonDType(_ types: [ValueType], op: String) throws -> DType? {
    let known = types.compactMap(\.dtype)
    for (index, dtype) in known.enumerated() where dtype != known[0] {
      throw GraphError.invalidOperator(
        "\(op): inputs mix element types \(known[0].rawValue) and \(known[index].rawValue)")
    }
    return known.first
  }
}

extension InferenceContext {
  /// The contents of a rank-0 or rank-1 integer input when every element is a known number, from
  /// its constant value or from shape-value propagation.
  func knownIntegers(_ index: Int) -> [Int]? { shapeValue(index)?.fixedSizes }
}
