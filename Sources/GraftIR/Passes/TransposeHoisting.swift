extension Graph {
  /// Moves a Transpose that follows a graph input's elementwise preprocessing up to the input.
  ///
  /// A Keras model that rescales or normalises its NHWC input (`Rescaling`, `Normalization`)
  /// before its first convolution imports as `x → Mul/Add/Sub/Div by constants → Transpose to
  /// NCHW → Conv`. Computing the same chain after the Transpose changes nothing (each constant is
  /// broadcast to the input's rank and permuted alike), and puts the Transpose at the input, where
  /// an exported model's interface can take it over (`makeInputsChannelsFirst`).
  ///
  /// The chain must be a single path: each node read only by the next, each an elementwise unary
  /// op, `Clip` with constant bounds, or a binary elementwise op of the chain value and a constant
  /// of at most the input's rank; no graph output or view may name a value on it.
  ///
  /// - Returns: the number of Transposes moved.
  @discardableResult
  public mutating func hoistTransposesToInputs() throws -> Int {
    var moved = 0
    for input in inputs {
      guard let rank = input.type.rank, let chain = preprocessingChain(from: input.name),
        let last = chain.last, let transposeAt = onlyReader(of: nodes[last].outputs[0]),
        let perm = (nodes[transposeAt].op as? Transpose)?.perm, perm.count == rank
      else { continue }
      let constantRanks = chain.flatMap {
        nodes[$0].inputs.compactMap { constants[$0]?.shape.count }
      }
      guard constantRanks.allSatisfy({ $0 <= rank }) else { continue }
      let transposed = nodes[transposeAt].outputs[0]
      var transpose = nodes[transposeAt]
      transpose.inputs = [input.name]
      transpose.outputs = [uniqueConstantName("\(input.name)/transposed")]
      for index in chain {
        nodes[index] = permutingConstants(of: nodes[index], by: perm, rank: rank)
      }
      nodes[chain[0]].inputs = nodes[chain[0]].inputs.map {
        $0 == input.name ? transpose.outputs[0] : $0
      }
      nodes[last].outputs[0] = transposed
      nodes.remove(at: transposeAt)
      nodes.insert(transpose, at: chain[0])
      moved += 1
    }
    if moved > 0 {
      types = [:]
      try inferTypes()
    }
    return moved
  }

  /// The node indices of `value`'s elementwise chain (see `hoistTransposesToInputs`), or nil when
  /// it has none.
  private func preprocessingChain(from value: String) -> [Int]? {
    let graphOutputs = Set(outputs.map(\.name))
    let viewed = Set(views.values.map(\.value))
    var chain: [Int] = []
    var current = value
    while let reader = onlyReader(of: current), isElementwiseStep(nodes[reader], reading: current) {
      chain.append(reader)
      current = nodes[reader].outputs[0]
      guard !graphOutputs.contains(current), !viewed.contains(current) else { return nil }
    }
    return chain.isEmpty ? nil : chain
  }

  /// The one node reading `value`, when exactly one does and no graph output names it.
  private func onlyReader(of value: String) -> Int? {
    guard !outputs.contains(where: { $0.name == value }) else { return nil }
    let readers = nodes.indices.filter { nodes[$0].inputs.contains(value) }
    return readers.count == 1 ? readers[0] : nil
  }

  private func isElementwiseStep(_ node: Node, reading value: String) -> Bool {
    guard node.outputs.count == 1,
      node.inputs.first == value || node.op is any BinaryElementwiseOperator
    else { return false }
    switch node.op {
    case is any UnaryElementwiseOperator:
      return true
    case is Clip:
      return node.inputs.dropFirst().allSatisfy { $0.isEmpty || constants[$0] != nil }
    case is any BinaryElementwiseOperator:
      return node.inputs.count == 2 && node.inputs.filter { $0 == value }.count == 1
        && node.inputs.allSatisfy { $0 == value || constants[$0] != nil }
    default:
      return false
    }
  }

  /// `node` reading its constants in the layout `perm` gives (each, of rank at most `rank`,
  /// broadcast to `rank` first, then permuted).
  private mutating func permutingConstants(of node: Node, by perm: [Int], rank: Int) -> Node {
    guard node.op is any BinaryElementwiseOperator else { return node }
    var moved = node
    for (position, name) in node.inputs.enumerated() {
      guard let constant = constants[name] else { continue }
      let broadcast = constant.reshaped(
        Array(repeating: 1, count: rank - constant.shape.count) + constant.shape)
      let permutedName = uniqueConstantName("\(name)/permuted")
      constants[permutedName] = broadcast.permutingAxes(perm)
      moved.inputs[position] = permutedName
    }
    return moved
  }
}
