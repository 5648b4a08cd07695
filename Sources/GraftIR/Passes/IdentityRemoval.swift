extension Graph {
  /// Removes `Identity` nodes and `Dropout` nodes (identities at inference) by reading their input
  /// wherever their output was read. A node whose output is a graph output stays unless its input
  /// can take the output's name (it is a node output read nowhere else). Views on a removed or
  /// renamed value follow it.
  ///
  /// - Returns: the number of nodes removed.
  @discardableResult
  public mutating func removeIdentities() -> Int {
    let graphOutputs = Set(outputs.map(\.name))
    var replacement: [String: String] = [:]
    var renamedProducers: [String: String] = [:]
    let uses = useCounts
    let producerIndex = producers
    var removed = Set<Int>()
    for (index, node) in nodes.enumerated() where Self.isIdentityAtInference(node, uses: uses) {
      let input = replacement[node.inputs[0]] ?? node.inputs[0]
      let output = node.outputs[0]
      if !graphOutputs.contains(output) {
        replacement[output] = input
        removed.insert(index)
      } else if producerIndex[input] != nil, uses[input] == 1, !graphOutputs.contains(input),
        renamedProducers[input] == nil
      {
        renamedProducers[input] = output
        removed.insert(index)
      }
    }
    guard !removed.isEmpty else { return 0 }
    for (name, view) in views {
      views[name]?.value = replacement[view.value] ?? renamedProducers[view.value] ?? view.value
    }
    nodes = nodes.enumerated().filter { !removed.contains($0.offset) }.map { _, node in
      var node = node
      node.inputs = node.inputs.map { replacement[$0] ?? $0 }
      node.outputs = node.outputs.map { renamedProducers[$0] ?? $0 }
      return node
    }
    return removed.count
  }

  /// Identity, or Dropout whose mask output is absent or read by nothing.
  private static func isIdentityAtInference(_ node: Node, uses: [String: Int]) -> Bool {
    guard node.opType == "Identity" || node.opType == "Dropout", !node.inputs.isEmpty else {
      return false
    }
    return node.outputs.dropFirst().allSatisfy { $0.isEmpty || uses[$0, default: 0] == 0 }
  }
}
