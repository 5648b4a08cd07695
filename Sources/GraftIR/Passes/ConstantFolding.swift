extension Graph {
  /// Replaces every node whose outputs can be computed now by constants, then removes the nodes no
  /// output needs any more.
  ///
  /// A node folds when its operator is `ConstantFoldable` and its fold succeeds: all inputs
  /// constant, or (for `Shape`, `Size`) the dims it reads fixed. Folding walks the graph in order,
  /// so whole `Shape → Gather → Concat` chains fold in one pass. Types are re-inferred afterwards.
  ///
  /// - Returns: the number of nodes folded.
  @discardableResult
  public mutating func foldConstants() throws -> Int {
    try inferTypes()
    var kept: [Node] = []
    var folded = 0
    for node in nodes {
      guard let foldable = node.op as? any ConstantFoldable,
        let values = try node.withContext({ try foldable.fold(context(for: node)) }),
        values.count == node.outputs.count
      else {
        kept.append(node)
        continue
      }
      for (name, value) in zip(node.outputs, values) where !name.isEmpty {
        constants[name] = value
        types[name] = nil
      }
      folded += 1
    }
    nodes = kept
    removeDeadNodes()
    try inferTypes()
    return folded
  }
}
