/// Shape arithmetic shared by the operators' inference.
public enum ShapeRules {
  /// Normalises a possibly negative `axis` into `0..<rank` (ONNX: negative counts from the end).
  ///
  /// With `inclusiveEnd` the range is `0...rank` and `-1` means `rank`: insertion positions, as
  /// Unsqueeze uses them. Ops whose axis splits a shape (Flatten: `-k` is `rank - k`) must not use
  /// it.
  public static func axis(_ axis: Int, rank: Int, inclusiveEnd: Bool = false) throws -> Int {
    let limit = inclusiveEnd ? rank + 1 : rank
    let normalised = axis < 0 ? axis + limit : axis
    try require(
      normalised >= 0 && normalised < limit, "axis \(axis) is out of range for rank \(rank)")
    return normalised
  }

  /// Multidirectional (NumPy) broadcasting of several shapes.
  ///
  /// Shapes are right-aligned; each output dim is the one dim that is not 1. Symbolic dims broadcast
  /// with 1 and with the same symbol; a symbol against a different fixed size > 1 yields that size.
  public static func broadcast(_ shapes: [[Dim]]) throws -> [Dim] {
    let rank = shapes.map(\.count).max() ?? 0
    var result = [Dim](repeating: .fixed(1), count: rank)
    for shape in shapes {
      let offset = rank - shape.count
      for (index, dim) in shape.enumerated() {
        result[offset + index] = try broadcast(result[offset + index], dim)
      }
    }
    return result
  }

  static func broadcast(_ a: Dim, _ b: Dim) throws -> Dim {
    switch (a, b) {
    case (.fixed(1), _): return b
    case (_, .fixed(1)): return a
    case (.fixed(let x), .fixed(let y)):
      try require(x == y, "shapes do not broadcast: \(x) against \(y)")
      return a
    case (.fixed, _): return a
    case (_, .fixed): return b
    case (.symbol(let x), .symbol(let y)) where x == y: return a
    default: return .unknown
    }
  }

  /// Broadcasts the types of a node's inputs, or returns nil when a rank is unknown.
  public static func broadcast(_ types: [ValueType]) throws -> [Dim]? {
    var shapes: [[Dim]] = []
    for type in types {
      guard let shape = type.shape else { return nil }
      shapes.append(shape)
    }
    return try broadcast(shapes)
  }

  /// Output length of a sliding window (convolution or pooling) along one spatial axis.
  ///
  /// `floor((in + padBegin + padEnd − dilation·(kernel − 1) − 1) / stride) + 1`, or the ceiling
  /// with `ceilMode`, where the last window must start inside the input or left padding (ONNX).
  public static func windowOutput(
    input: Dim, kernel: Int, stride: Int, dilation: Int, padBegin: Int, padEnd: Int,
    ceilMode: Bool = false
  ) throws -> Dim {
    guard let size = input.value else { return input == .unknown ? .unknown : .unknown }
    let span = dilation * (kernel - 1) + 1
    let padded = size + padBegin + padEnd
    try require(
      padded >= span, "window of \(span) does not fit an input of \(size) padded to \(padded)")
    var count = ceilMode ? (padded - span + stride - 1) / stride + 1 : (padded - span) / stride + 1
    if ceilMode && (count - 1) * stride >= size + padBegin { count -= 1 }
    return .fixed(count)
  }

  /// The element count of a shape when every dim is fixed and the count fits an `Int`.
  public static func elementCount(_ shape: [Dim]?) -> Int? {
    shape?.fixedSizes.flatMap { checkedProduct($0) }
  }

  /// The product of `values`, or nil when it overflows (dims declared by a hostile file can be
  /// near `Int.max`; they must give an error or an unknown, never a trap).
  public static func checkedProduct<S: Sequence<Int>>(_ values: S) -> Int? {
    var product = 1
    for value in values {
      let (result, overflow) = product.multipliedReportingOverflow(by: value)
      if overflow { return nil }
      product = result
    }
    return product
  }
}
