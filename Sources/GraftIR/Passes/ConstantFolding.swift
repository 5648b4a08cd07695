extension Graph {
  /// Replaces every node whose outputs can be computed now by constants, then removes the nodes no
  /// output needs any more.
  ///
  /// A node folds when its operator is `ConstantFoldable` and its fold succeeds (all inputs
  /// constant, or for `Shape` and `Size` the dims they read fixed), or when each of its outputs is
  /// an integer shape value whose dims are all fixed (`Gather(Shape(x), 1)` with `x` of shape
  /// `[N, 512]` is `512`). A `Reshape` whose target is known but for one symbol (`[N, 512]` from a
  /// `Shape → Gather → Concat` chain) gets a constant target with that symbol spelled `0` (copy
  /// the input dim) or `-1`. Folding walks the graph in order, so whole chains fold in one pass;
  /// types are re-inferred afterwards.
  ///
  /// - Returns: the number of nodes folded or rewritten.
  @discardableResult
  public mutating func foldConstants() throws -> Int {
    try inferTypes()
    var kept: [Node] = []
    var changed = 0
    for var node in nodes {
      if let values = try foldedOutputs(of: node) {
        for (name, value) in zip(node.outputs, values) where !name.isEmpty {
          constants[name] = value
          types[name] = nil
        }
        changed += 1
        continue
      }
      if let target = constantReshapeTarget(for: node) {
        let name = uniqueConstantName("\(node.name)/shape")
        constants[name] = target
        node.inputs[1] = name
        changed += 1
      }
      kept.append(node)
    }
    nodes = kept
    removeDeadNodes()
    try inferTypes()
    return changed
  }

  /// The node's outputs as constants, when they can be known now.
  private func foldedOutputs(of node: Node) throws -> [Tensor]? {
    if let foldable = node.op as? any ConstantFoldable,
      let values = try node.withContext({ try foldable.fold(context(for: node)) }),
      values.count == node.outputs.count
    {
      return values
    }
    var values: [Tensor] = []
    for output in node.outputs {
      guard let dims = shapeValues[output], let sizes = dims.fixedSizes,
        let type = types[output], let dtype = type.dtype, dtype.isInteger,
        let rank = type.rank, rank <= 1
      else { return nil }
      values.append(
        Tensor.converting(sizes.map(Int64.init), to: dtype, shape: rank == 0 ? [] : [sizes.count]))
    }
    return values.isEmpty ? nil : values
  }

  /// A constant target for a `Reshape` whose target input is a shape value with one symbolic dim.
  private func constantReshapeTarget(for node: Node) -> Tensor? {
    guard let reshape = node.op as? Reshape, node.inputs.count == 2,
      constants[node.inputs[1]] == nil,
      let target = shapeValues[node.inputs[1]],
      target.filter({ $0.value == nil }).count == 1
    else { return nil }
    let input = type(of: node.inputs[0])?.shape
    let spelled: [Int64] = target.enumerated().map { index, dim in
      if let size = dim.value { return Int64(size) }
      let copiesInput = input.map { index < $0.count && $0[index] == dim } ?? false
      return !reshape.allowzero && copiesInput ? 0 : -1
    }
    // One -1 at most, and a 0 must mean "copy" (not an empty dim under allowzero).
    guard spelled.filter({ $0 == -1 }).count <= 1, !(reshape.allowzero && spelled.contains(0))
    else { return nil }
    return Tensor(spelled, shape: [spelled.count])
  }

  /// `base`, or `base_2`, `base_3`, … — the first name no value uses.
  func uniqueConstantName(_ base: String) -> String {
    var name = base
    var suffix = 1
    while constants[name] != nil || types[name] != nil {
      suffix += 1
      name = "\(base)_\(suffix)"
    }
    return name
  }
}
