extension Graph {
  /// Gives each channels-last graph input a channels-first interface when the graph's only use of
  /// it is the Transpose into channels-first (`perm = [0, r−1, 1, …, r−2]`, as a Keras model's
  /// NHWC input is imported): the input takes that Transpose's output type and keeps its name, and
  /// the Transpose is removed.
  ///
  /// Inputs read any other way are left alone, as are Transposes whose output is a graph output.
  ///
  /// - Returns: the inputs changed, each with the permutation that turns a value of the old
  ///   interface into one of the new (`Tensor.permutingAxes`).
  public mutating func makeInputsChannelsFirst() throws -> [String: [Int]] {
    var changed: [String: [Int]] = [:]
    let graphOutputs = Set(outputs.map(\.name))
    for (index, input) in inputs.enumerated() {
      guard let rank = input.type.rank, rank >= 3, !graphOutputs.contains(input.name) else {
        continue
      }
      let toChannelsFirst = [0, rank - 1] + Array(1..<(rank - 1))
      let readers = nodes.indices.filter { nodes[$0].inputs.contains(input.name) }
      let allTransposes = readers.allSatisfy { reader in
        (nodes[reader].op as? Transpose)?.perm == toChannelsFirst
          && !graphOutputs.contains(nodes[reader].outputs[0])
      }
      guard !readers.isEmpty, allTransposes, let shape = input.type.shape else { continue }
      var renamed: [String: String] = [:]
      for reader in readers { renamed[nodes[reader].outputs[0]] = input.name }
      nodes = nodes.enumerated().filter { !readers.contains($0.offset) }.map { $0.element }
      for node in nodes.indices {
        nodes[node].inputs = nodes[node].inputs.map { renamed[$0] ?? $0 }
      }
      for (name, view) in views where renamed[view.value] != nil {
        views[name]?.value = input.name
      }
      inputs[index].type.shape = toChannelsFirst.map { shape[$0] }
      changed[input.name] = toChannelsFirst
    }
    if !changed.isEmpty {
      types = [:]
      try inferTypes()
    }
    return changed
  }
}
