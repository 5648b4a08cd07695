import GraftIR

extension LayerNormalization: ONNXImportable {
  public static func fromONNX(_ node: inout ONNXNode) throws -> LayerNormalization {
    let stashCode = try node.int("stash_type", default: 1)
    // TensorProto.DataType codes of the floating-point types the IR has.
    let stashTypes: [Int: DType] = [1: .float32, 10: .float16, 11: .float64]
    guard let stashType = stashTypes[stashCode] else {
      throw GraphError.invalidOperator(
        "stash_type \(stashCode) is not supported: use 1 (float), 10 (float16) or 11 (double)")
    }
    return LayerNormalization(
      axis: try node.int("axis", default: -1),
      epsilon: try node.float("epsilon", default: 1e-5),
      stashType: stashType)
  }
}

extension LayerNormalization: ONNXExportable {
  /// LayerNormalization arrived in opset 17; before, it is written as its definition over the
  /// axes `axis…rank−1` (which needs X's rank): in `stashType` (X cast to it when it differs),
  /// `Mean = ReduceMean(X)`, `D = X − Mean`, `InvStdDev = 1/Sqrt(ReduceMean(D·D) + epsilon)`, then
  /// `Y = D·InvStdDev·Scale + B` back in X's type. The optional outputs Mean and InvStdDev are
  /// written when the node has them.
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    let stashCode = Int(ONNXDataType.code(of: stashType))
    guard context.opset < 17 else {
      return [
        context.onnxNode(attributes: [
          "axis": .int(axis, default: -1), "epsilon": .float(epsilon, default: 1e-5),
          "stash_type": .int(stashCode, default: 1),
        ])
      ]
    }
    guard let rank = context.inputType(0)?.rank else {
      throw context.unsupported(
        "LayerNormalization is written as other ops before opset 17, which needs the rank of X; "
          + "use --opset 17 or newer")
    }
    let dtype = try context.elementType(0)
    let first = try ShapeRules.axis(axis, rank: rank)
    let reduce: [String: ONNXAttribute] = ["axes": .ints(Array(first..<rank))]
    let outputs = context.node.outputs
    let present = { (index: Int) in index < outputs.count && !outputs[index].isEmpty }
    var nodes: [ONNXNode] = []
    var x = context.node.inputs[0]
    if stashType != dtype {
      x = context.emit("Cast", [x], into: &nodes, attributes: ["to": .int(stashCode)])
    }
    let mean = context.emit(
      "ReduceMean", [x], into: &nodes, output: present(1) ? outputs[1] : nil, attributes: reduce)
    let deviation = context.emit("Sub", [x, mean], into: &nodes)
    let square = context.emit("Mul", [deviation, deviation], into: &nodes)
    let variance = context.emit("ReduceMean", [square], into: &nodes, attributes: reduce)
    let epsilon = context.scalar(Double(epsilon), stashType, role: "epsilon")
    let deviationScale = context.emit(
      "Sqrt", [context.emit("Add", [variance, epsilon], into: &nodes)], into: &nodes)
    var normalized: String
    if present(2) {
      let inverse = context.emit(
        "Reciprocal", [deviationScale], into: &nodes, output: outputs[2])
      normalized = context.emit("Mul", [deviation, inverse], into: &nodes)
    } else {
      normalized = context.emit("Div", [deviation, deviationScale], into: &nodes)
    }
    if stashType != dtype {
      normalized = context.emit(
        "Cast", [normalized], into: &nodes,
        attributes: ["to": .int(Int(ONNXDataType.code(of: dtype)))])
    }
    let hasBias = context.hasInput(2)
    let scaled = context.emit(
      "Mul", [normalized, context.node.inputs[1]], into: &nodes,
      output: hasBias ? nil : outputs[0])
    if hasBias {
      _ = context.emit("Add", [scaled, context.node.inputs[2]], into: &nodes, output: outputs[0])
    }
    return nodes
  }
}
