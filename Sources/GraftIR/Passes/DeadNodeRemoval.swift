extension Graph {
  /// Removes nodes, constants and graph inputs that no graph output depends on.
  ///
  /// - Returns: the number of nodes removed.
  @discardableResult
  public mutating func removeDeadNodes() -> Int {
    var needed = Set(outputs.map(\.name))
    var kept: [Node] = []
    for node in nodes.reversed() where node.outputs.contains(where: needed.contains) {
      kept.append(node)
      needed.formUnion(node.inputs.filter { !$0.isEmpty })
    }
    let removed = nodes.count - kept.count
    nodes = kept.reversed()
    constants = constants.filter { needed.contains($0.key) }
    inputs = inputs.filter { needed.contains($0.name) }
    let defined = Set(nodes.flatMap(\.outputs)).union(inputs.map(\.name))
    types = types.filter { defined.contains($0.key) }
    shapeValues = shapeValues.filter { defined.contains($0.key) }
    return removed
  }
}
