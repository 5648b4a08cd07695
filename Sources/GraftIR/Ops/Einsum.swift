/// A sum of products over labelled axes, written as an Einstein summation equation.
///
/// `"bij,bjk->bik"` multiplies, for every value of the labels, the operands' elements selected by
/// their labels, and sums over the labels missing from the output (here `j`): a batched matrix
/// product. A label repeated within one operand takes that operand's diagonal. Without `->` the
/// output is every label that appears exactly once, in alphabetical (ASCII) order, so `"ij,jk"`
/// means `"ij,jk->ik"`. Labels are ASCII letters; spaces are ignored. Broadcasting with `...` is
/// not supported.
public struct Einsum: Operator, Hashable {
  public static let opType = "Einsum"

  public var equation: String

  public init(equation: String) {
    self.equation = equation
  }

  /// An equation split into one label list per operand and the output's labels.
  public struct Equation: Hashable, Sendable {
    public let inputs: [[Character]]
    public let output: [Character]

    /// Parses `text`, making an implicit output explicit.
    ///
    /// - Throws: `GraphError.invalidOperator` for characters other than letters, `,` and `->`, for
    ///   an ellipsis, and for output labels that repeat or appear in no operand.
    public init(parsing text: String) throws {
      let compact = text.filter { $0 != " " }
      try require(
        !compact.contains("..."),
        "Einsum equation '\(text)' uses an ellipsis '...', which is not supported; "
          + "name every axis with a letter")
      let sides = compact.split(separator: "->", omittingEmptySubsequences: false)
      try require(sides.count <= 2, "Einsum equation '\(text)' has more than one '->'")
      let inputs = sides[0].split(separator: ",", omittingEmptySubsequences: false).map(Array.init)
      let labels = inputs.joined() + (sides.count == 2 ? Array(sides[1]) : [])
      for label in labels {
        try require(
          label.isASCII && label.isLetter,
          "Einsum equation '\(text)' has '\(label)' where a letter label was expected")
      }
      var counts: [Character: Int] = [:]
      for label in inputs.joined() { counts[label, default: 0] += 1 }
      if sides.count == 2 {
        let output = Array(sides[1])
        try require(
          Set(output).count == output.count, "Einsum equation '\(text)' repeats an output label")
        for label in output {
          try require(
            counts[label] != nil,
            "Einsum equation '\(text)': output label '\(label)' appears in no operand")
        }
        self.output = output
      } else {
        self.output = counts.filter { $0.value == 1 }.keys.sorted()
      }
      self.inputs = inputs
    }

    /// Whether some label is summed away (absent from the output).
    public var contracts: Bool { !Set(inputs.joined()).isSubset(of: output) }
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let parsed = try Equation(parsing: equation)
    let count = context.inputTypes.count
    try require(
      parsed.inputs.count == count,
      "Einsum equation '\(equation)' has \(parsed.inputs.count) operands but the node has "
        + "\(count) inputs")
    let dtype = try context.commonElementType(
      Array(0..<count), names: (0..<count).map { "Inputs[\($0)]" }, floatingPointOnly: false)
    guard let sizes = try labelSizes(parsed, context) else { return [ValueType(dtype, nil)] }
    return [ValueType(dtype, parsed.output.map { sizes[$0] ?? .unknown })]
  }

  /// The size of every label, or nil when an operand's rank is unknown.
  private func labelSizes(
    _ parsed: Equation, _ context: InferenceContext
  ) throws -> [Character: Dim]? {
    var sizes: [Character: Dim] = [:]
    var ranksKnown = true
    for (index, labels) in parsed.inputs.enumerated() {
      guard let shape = try context.type(index).shape else {
        ranksKnown = false
        continue
      }
      try require(
        shape.count == labels.count,
        "Einsum operand \(index) has shape \(shape.shapeDescription) but \(labels.count) labels "
          + "'\(String(labels))' in '\(equation)'")
      for (label, dim) in zip(labels, shape) {
        switch (sizes[label], dim) {
        case (nil, _), (.unknown, _), (.symbol, .fixed):
          sizes[label] = dim
        case (.fixed(let known), .fixed(let size)):
          try require(
            known == size,
            "Einsum label '\(label)' has size \(known) and \(size) in '\(equation)'")
        default:
          break
        }
      }
    }
    return ranksKnown ? sizes : nil
  }

  /// A naive evaluation visits every combination of label values once, with one multiply per
  /// extra operand and one add when a label is summed; a pure relabelling (transpose, diagonal)
  /// costs nothing.
  public func flops(_ context: InferenceContext, outputs: [ValueType]) -> Int? {
    guard let parsed = try? Equation(parsing: equation),
      let sizes = try? labelSizes(parsed, context),
      let fixed = Array(sizes.values).fixedSizes
    else { return nil }
    let operations = parsed.inputs.count - 1 + (parsed.contracts ? 1 : 0)
    return fixed.reduce(1, *) * operations
  }
}
