/// Gives a tensor a new shape with the same elements in the same row-major order.
///
/// The target comes from the 1-D int64 input `shape`: a `0` copies the input's dim at that
/// position (unless `allowzero`, where it means an empty dim), and one `-1` takes whatever size
/// keeps the element count. With a symbolic batch, `-1` is solved symbolically when it can be:
/// `[N, 512, 1, 1]` reshaped to `[-1, 512]` is `[N, 512]`, and a target computed by
/// `Shape → Gather → Concat` as `[N, 512]` is used as is.
public struct Reshape: ReshapingOperator, Hashable {
  public static let opType = "Reshape"

  /// Whether a `0` in the target is a real empty dim rather than "copy the input dim".
  public var allowzero: Bool

  public init(allowzero: Bool = false) {
    self.allowzero = allowzero
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let data = try context.type(0)
    let shapeType = try context.type(1)
    try TensorIndexing.requireIndexInput(shapeType, op: "Reshape", input: "shape", rank: 1)
    guard let target = context.shapeValue(1) else {
      let rank = shapeType.shape?.first?.value
      return [ValueType(data.dtype, rank.map { Array(repeating: .unknown, count: $0) })]
    }
    return [ValueType(data.dtype, try outputShape(input: data.shape, target: target))]
  }

  /// The output dims for a target whose elements are known (possibly as symbols).
  func outputShape(input: [Dim]?, target: [Dim]) throws -> [Dim] {
    var output: [Dim] = []
    var inferred: Int?
    for (index, dim) in target.enumerated() {
      switch dim {
      case .fixed(-1):
        try require(
          inferred == nil, "Reshape: the target \(target.shapeDescription) has more than one -1")
        inferred = index
        output.append(.unknown)
      case .fixed(0) where !allowzero:
        guard let input else {
          output.append(.unknown)
          continue
        }
        try require(
          index < input.count,
          "Reshape: target dim \(index) is 0 (copy the input dim) but the input "
            + "\(input.shapeDescription) has rank \(input.count)")
        output.append(input[index])
      case .fixed(let n):
        try require(n >= 0, "Reshape: invalid size \(n) in the target \(target.shapeDescription)")
        output.append(dim)
      case .symbol, .unknown:
        output.append(dim)
      }
    }
    try require(
      !(allowzero && inferred != nil && target.contains(.fixed(0))),
      "Reshape: with allowzero the target \(target.shapeDescription) cannot hold both 0 and -1")
    guard let input else { return output }
    if let inferred {
      output[inferred] = try solve(input: input, output: output, at: inferred)
    } else if let inputSizes = input.fixedSizes, let outputSizes = output.fixedSizes {
      let inCount = ShapeRules.checkedProduct(inputSizes)
      let outCount = ShapeRules.checkedProduct(outputSizes)
      try require(
        inCount == outCount,
        "Reshape: cannot reshape \(input.shapeDescription) (\(Self.describe(inCount)) elements) "
          + "to \(output.shapeDescription) (\(Self.describe(outCount)) elements)")
    }
    return output
  }

  private static func describe(_ count: Int?) -> String { count.map(String.init) ?? "too many" }

  /// The size of the `-1` dim at `position`: input elements divided by the other output dims,
  /// with symbols cancelled pairwise (`[N, 512, 1, 1]` over `[?, 512]` leaves `N`).
  private func solve(input: [Dim], output: [Dim], at position: Int) throws -> Dim {
    var inFixed = 1
    var symbols: [String] = []
    for dim in input {
      switch dim {
      case .fixed(let n):
        guard let product = ShapeRules.checkedProduct([inFixed, n]) else { return .unknown }
        inFixed = product
      case .symbol(let name): symbols.append(name)
      case .unknown: return .unknown
      }
    }
    var outFixed = 1
    for (index, dim) in output.enumerated() where index != position {
      switch dim {
      case .fixed(let n):
        guard let product = ShapeRules.checkedProduct([outFixed, n]) else { return .unknown }
        outFixed = product
      case .symbol(let name):
        guard let match = symbols.firstIndex(of: name) else { return .unknown }
        symbols.remove(at: match)
      case .unknown: return .unknown
      }
    }
    try require(
      outFixed != 0,
      "Reshape: cannot infer the -1 of the target \(output.shapeDescription): "
        + "the other dims hold no elements")
    if inFixed % outFixed != 0 {
      try require(
        !symbols.isEmpty,
        "Reshape: cannot reshape \(input.shapeDescription) to \(output.shapeDescription): "
          + "\(inFixed) elements are not a multiple of \(outFixed)")
      return .unknown
    }
    let quotient = inFixed / outFixed
    if quotient == 0 || symbols.isEmpty { return .fixed(quotient) }
    return symbols.count == 1 && quotient == 1 ? .symbol(symbols[0]) : .unknown
  }
}
