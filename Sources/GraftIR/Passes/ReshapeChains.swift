extension Graph {
  /// Shortens chains of reshaping ops (Reshape, Flatten, Squeeze, Unsqueeze), which only relabel
  /// a row-major buffer: a reshaping op of a reshaping op's output, read by it alone, becomes one
  /// Reshape of the first one's input; and a reshaping op whose output has its input's shape
  /// becomes an Identity (for `removeIdentities`).
  ///
  /// Keras models write `GlobalAveragePooling2D → Reshape((1, 1, C))` in every squeeze-and-excite
  /// block, which the IR holds as `GlobalAveragePool [N, C, 1, 1] → Flatten → Reshape [N, C, 1, 1]`:
  /// both steps go.
  ///
  /// The Reshape's target spells the output shape: fixed dims as they are, a symbolic dim that the
  /// input has at the same index as 0 (copy), at most one other as -1; a chain whose output cannot
  /// be spelled so is left alone.
  ///
  /// - Returns: the number of reshaping nodes rewritten.
  @discardableResult
  public mutating func collapseReshapeChains() throws -> Int {
    try inferTypes()
    let graphOutputs = Set(outputs.map(\.name))
    let flattenedViews = Set(views.values.filter { $0.unflattened != nil }.map(\.value))
    let producers = self.producers
    let useCounts = self.useCounts
    var rewritten = 0
    for index in nodes.indices where nodes[index].op is any ReshapingOperator {
      let node = nodes[index]
      guard let output = type(of: node.outputs[0])?.shape else { continue }
      var source = node.inputs[0]
      if let producer = producers[source], nodes[producer].op is any ReshapingOperator,
        useCounts[source] == 1, !graphOutputs.contains(source), !flattenedViews.contains(source)
      {
        source = nodes[producer].inputs[0]
      }
      guard let input = type(of: source)?.shape else { continue }
      if input == output, !output.contains(.unknown) {
        nodes[index].op = Identity()
        nodes[index].inputs = [source]
      } else if source == node.inputs[0]
        || !rewriteAsReshape(at: index, reading: source, from: input, to: output)
      {
        continue
      }
      rewritten += 1
    }
    if rewritten > 0 {
      removeDeadNodes()
      try inferTypes()
    }
    return rewritten
  }

  /// Makes the node at `index` a Reshape of `source` (shaped `input`) to `output`, with a new
  /// constant target: fixed dims as they are, a symbolic dim `input` has at the same index as 0
  /// (copy), at most one other as -1. Returns false, changing nothing, when `output` cannot be
  /// spelled so.
  mutating func rewriteAsReshape(
    at index: Int, reading source: String, from input: [Dim], to output: [Dim]
  ) -> Bool {
    let target: [Int64] = output.enumerated().map { axis, dim in
      if let size = dim.value { return Int64(size) }
      return axis < input.count && input[axis] == dim && dim != .unknown ? 0 : -1
    }
    guard target.filter({ $0 == -1 }).count <= 1 else { return false }
    let name = uniqueConstantName("\(nodes[index].name)/shape")
    constants[name] = Tensor(target, shape: [target.count])
    nodes[index].op = Reshape()
    nodes[index].inputs = [source, name]
    return true
  }
}
