extension Graph {
  /// Folds a per-output-channel `Mul` or `Add` by a constant that directly follows a `Conv` with
  /// constant weights into that Conv's weights and bias, removing the elementwise node.
  ///
  /// Exporters leave such pairs behind (tf2onnx writes the BatchNormalization after a depthwise
  /// convolution as `Mul` then `Add`). With `Y = conv(X, W) + B` and a scale `s[m]` or shift
  /// `a[m]` per output channel `m`: `Y·s = conv(X, W·s) + B·s` (each filter `W[m]` scaled) and
  /// `Y + a = conv(X, W) + (B + a)`. A constant is per-channel when it is a scalar or its only
  /// non-unit dim lines up with Y's channel axis (axis 1). Y must be read by that one node only.
  /// An inference `BatchNormalization` with constant parameters right after such a Conv is first
  /// written as that `Mul` and `Add` (see `splitBatchNormalizationsAfterConvolutions`).
  ///
  /// - Returns: the number of nodes folded.
  @discardableResult
  public mutating func foldAffineIntoConvolutions() throws -> Int {
    splitBatchNormalizationsAfterConvolutions()
    var folded = 0
    var changed = true
    while changed {
      changed = false
      let uses = useCounts
      let graphOutputs = Set(outputs.map(\.name))
      let producer = producers
      for (index, node) in nodes.enumerated() where node.opType == "Mul" || node.opType == "Add" {
        guard node.inputs.count == 2 else { continue }
        for side in 0..<2 {
          let convOutput = node.inputs[side]
          guard let convIndex = producer[convOutput], nodes[convIndex].opType == "Conv",
            uses[convOutput] == 1, !graphOutputs.contains(convOutput),
            let factor = constants[node.inputs[1 - side]],
            let rewritten = rewrittenConv(
              nodes[convIndex], by: factor, isScale: node.opType == "Mul")
          else { continue }
          nodes[convIndex] = rewritten
          nodes[convIndex].outputs[0] = node.outputs[0]
          nodes.remove(at: index)
          folded += 1
          changed = true
          break
        }
        if changed { break }
      }
    }
    if folded > 0 {
      removeDeadNodes()
      try inferTypes()
    }
    return folded
  }

  /// The Conv with `factor` folded in, or nil when its weights are not constant floats or the
  /// factor is not per output channel.
  private mutating func rewrittenConv(_ conv: Node, by factor: Tensor, isScale: Bool) -> Node? {
    guard conv.inputs.count >= 2, let weight = constants[conv.inputs[1]],
      weight.dtype.isFloatingPoint, factor.dtype == weight.dtype, weight.shape.count >= 3
    else { return nil }
    let channels = weight.shape[0]
    let outputRank = weight.shape.count
    // The factor's dims right-aligned against Y's [N, M, spatial…]: only axis 1 may differ from 1.
    guard factor.shape.count <= outputRank else { return nil }
    let aligned = [Int](repeating: 1, count: outputRank - factor.shape.count) + factor.shape
    guard aligned.enumerated().allSatisfy({ $0.offset == 1 || $0.element == 1 }),
      aligned[1] == 1 || aligned[1] == channels
    else { return nil }
    let values = factor.doubles()
    let perChannel = (0..<channels).map { values.count == 1 ? values[0] : values[$0] }
    let bias: [Double]
    if conv.inputs.count > 2, !conv.inputs[2].isEmpty {
      guard let existing = constants[conv.inputs[2]], existing.dtype == weight.dtype else {
        return nil
      }
      bias = existing.doubles()
    } else {
      bias = Array(repeating: 0, count: channels)
    }
    var rewritten = conv
    while rewritten.inputs.count < 3 { rewritten.inputs.append("") }
    if isScale {
      let filter = weight.count / channels
      var scaled = weight.doubles()
      for m in 0..<channels {
        for k in 0..<filter { scaled[m * filter + k] *= perChannel[m] }
      }
      let name = uniqueConstantName("\(conv.name)/W_folded")
      constants[name] = Tensor.converting(scaled, to: weight.dtype, shape: weight.shape)
      rewritten.inputs[1] = name
      let biasName = uniqueConstantName("\(conv.name)/B_folded")
      constants[biasName] = Tensor.converting(
        zip(bias, perChannel).map { $0 * $1 }, to: weight.dtype, shape: [channels])
      rewritten.inputs[2] = biasName
    } else {
      let biasName = uniqueConstantName("\(conv.name)/B_folded")
      constants[biasName] = Tensor.converting(
        zip(bias, perChannel).map { $0 + $1 }, to: weight.dtype, shape: [channels])
      rewritten.inputs[2] = biasName
    }
    return rewritten
  }

  /// Rewrites each `BatchNormalization` whose input is a Conv's output read by it alone, and whose
  /// scale, bias, mean and variance are constant floats of one type, as
  /// `Y·f + (B − mean·f)` with `f = scale / √(var + ε)`: a per-channel `Mul` then `Add` (constants
  /// shaped `[C, 1, …]` to line up with axis 1), which the Conv then absorbs.
  mutating func splitBatchNormalizationsAfterConvolutions() {
    let uses = useCounts
    let graphOutputs = Set(outputs.map(\.name))
    let producer = producers
    var rewritten: [Node] = []
    for node in nodes {
      guard let norm = node.op as? BatchNormalization, node.inputs.count == 5,
        node.outputs.count == 1 || node.outputs.dropFirst().allSatisfy(\.isEmpty),
        let convIndex = producer[node.inputs[0]], nodes[convIndex].opType == "Conv",
        uses[node.inputs[0]] == 1, !graphOutputs.contains(node.inputs[0]),
        let rank = type(of: node.inputs[0])?.shape?.count, rank >= 3
      else {
        rewritten.append(node)
        continue
      }
      let parameters = node.inputs[1...].compactMap { constants[$0] }
      guard parameters.count == 4, let dtype = parameters.first?.dtype, dtype.isFloatingPoint,
        parameters.allSatisfy({ $0.dtype == dtype && $0.shape.count == 1 }),
        Set(parameters.map(\.count)).count == 1
      else {
        rewritten.append(node)
        continue
      }
      let (scale, bias, mean, variance) = (
        parameters[0].doubles(), parameters[1].doubles(), parameters[2].doubles(),
        parameters[3].doubles()
      )
      let factor = zip(scale, variance).map { $0 / (($1 + Double(norm.epsilon)).squareRoot()) }
      let shift = (0..<factor.count).map { bias[$0] - mean[$0] * factor[$0] }
      let shape = [factor.count] + Array(repeating: 1, count: rank - 2)
      let factorName = uniqueConstantName("\(node.name)/scale_folded")
      constants[factorName] = Tensor.converting(factor, to: dtype, shape: shape)
      let shiftName = uniqueConstantName("\(node.name)/shift_folded")
      constants[shiftName] = Tensor.converting(shift, to: dtype, shape: shape)
      let scaled = uniqueConstantName("\(node.name)/scaled")
      types[scaled] = type(of: node.inputs[0])
      rewritten.append(
        Node(
          name: "\(node.name)/scale", op: Mul(), inputs: [node.inputs[0], factorName],
          outputs: [scaled]))
      rewritten.append(
        Node(name: node.name, op: Add(), inputs: [scaled, shiftName], outputs: [node.outputs[0]]))
    }
    nodes = rewritten
  }
}
