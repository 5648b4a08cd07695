import GraftIR

extension Gelu: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> Gelu {
    let text = try node.string("approximate", default: "none")
    guard let approximate = Approximation(rawValue: text) else {
      throw GraphError.invalidOperator(
        "attribute 'approximate' must be \"none\" or \"tanh\", got \"\(text)\"")
    }
    return Gelu(approximate: approximate)
  }
}
