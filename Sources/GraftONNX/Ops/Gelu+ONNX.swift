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

extension Gelu: ONNXExportable {
  /// Gelu arrived in opset 20; before, it is written as its formula `0.5·x·(1 + f)`, with
  /// `f = Erf(x/√2)` for the exact form and `f = Tanh(√(2/π)·(x + 0.044715·x³))` for the tanh
  /// form, the constants in x's element type.
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    guard context.opset < 20 else {
      return [context.onnxNode(attributes: ["approximate": .choice(approximate, default: .exact)])]
    }
    let dtype = try context.elementType(0)
    let x = context.node.inputs[0]
    var nodes: [ONNXNode] = []
    let f: String
    switch approximate {
    case .exact:
      let scaled = context.emit(
        "Div", [x, context.scalar(2.0.squareRoot(), dtype, role: "sqrt2")], into: &nodes)
      f = context.emit("Erf", [scaled], into: &nodes)
    case .tanh:
      let square = context.emit("Mul", [x, x], into: &nodes)
      let cube = context.emit("Mul", [square, x], into: &nodes)
      let cubic = context.emit(
        "Mul", [cube, context.scalar(0.044715, dtype, role: "coefficient")], into: &nodes)
      let inner = context.emit("Add", [x, cubic], into: &nodes)
      let scale = context.scalar((2 / Double.pi).squareRoot(), dtype, role: "sqrt2_over_pi")
      f = context.emit("Tanh", [context.emit("Mul", [inner, scale], into: &nodes)], into: &nodes)
    }
    let onePlus = context.emit("Add", [f, context.scalar(1, dtype, role: "one")], into: &nodes)
    let product = context.emit("Mul", [x, onePlus], into: &nodes)
    _ = context.emit(
      "Mul", [product, context.scalar(0.5, dtype, role: "half")], into: &nodes,
      output: context.node.outputs[0])
    return nodes
  }
}
