extension Graph {
  /// Checks the graph's structure: unique value definitions, every input defined before use, every
  /// output defined, and constant shapes consistent.
  ///
  /// - Throws: `GraphError.many` listing every problem found, each with its node.
  public func verify() throws {
    var errors: [GraphError] = []
    var defined = Set<String>()
    for input in inputs {
      if !defined.insert(input.name).inserted {
        errors.append(.invalidGraph("value '\(input.name)' is defined twice (graph input)"))
      }
    }
    for name in constants.keys.sorted() where !defined.insert(name).inserted {
      // Old ONNX exporters list initializers as inputs too; a constant shadows that input.
      if !inputs.contains(where: { $0.name == name }) {
        errors.append(.invalidGraph("value '\(name)' is defined twice (constant)"))
      }
    }
    for node in nodes {
      for input in node.inputs where !input.isEmpty && !defined.contains(input) {
        errors.append(
          .atNode(
            name: node.name, opType: node.opType,
            .invalidGraph("input '\(input)' is not defined before this node")))
      }
      for output in node.outputs where !output.isEmpty && !defined.insert(output).inserted {
        errors.append(
          .atNode(
            name: node.name, opType: node.opType,
            .invalidGraph("output '\(output)' is already defined")))
      }
    }
    for output in outputs where !defined.contains(output.name) {
      errors.append(.invalidGraph("graph output '\(output.name)' is not defined"))
    }
    if errors.count == 1 { throw errors[0] }
    if !errors.isEmpty { throw GraphError.many(errors) }
  }

  /// Reorders the nodes topologically (stable: keeps the given order where it is valid).
  ///
  /// - Throws: `GraphError.invalidGraph` naming the nodes on a cycle, or naming the node and value
  ///   when a node reads a value nothing defines.
  public mutating func sortTopologically() throws {
    var available = Set(inputs.map(\.name)).union(constants.keys)
    var producer: [String: Int] = [:]
    for (index, node) in nodes.enumerated() {
      for output in node.outputs where !output.isEmpty { producer[output] = index }
    }
    for node in nodes {
      for input in node.inputs where !input.isEmpty && !available.contains(input) {
        if producer[input] == nil {
          throw GraphError.atNode(
            name: node.name, opType: node.opType,
            .invalidGraph("input '\(input)' is not defined by any node, input or constant"))
        }
      }
    }
    // Kahn's algorithm over node indices; `waiting[i]` counts node i's inputs not yet available.
    var waiting = [Int](repeating: 0, count: nodes.count)
    var readers: [String: [Int]] = [:]
    for (index, node) in nodes.enumerated() {
      for input in Set(node.inputs) where !input.isEmpty && !available.contains(input) {
        waiting[index] += 1
        readers[input, default: []].append(index)
      }
    }
    var ready = (0..<nodes.count).filter { waiting[$0] == 0 }.reversed() as [Int]
    var order: [Int] = []
    order.reserveCapacity(nodes.count)
    while let index = ready.popLast() {
      order.append(index)
      var released: [Int] = []
      for output in nodes[index].outputs where !output.isEmpty && available.insert(output).inserted
      {
        for reader in readers[output] ?? [] {
          waiting[reader] -= 1
          if waiting[reader] == 0 { released.append(reader) }
        }
      }
      // Keep the original order among released nodes: the stack pops the smallest index first.
      ready.append(contentsOf: released.sorted(by: >))
      ready.sort(by: >)
    }
    if order.count < nodes.count {
      let stuck = (0..<nodes.count).filter { waiting[$0] > 0 }.map { nodes[$0].name }
      let listed = stuck.prefix(8).map { "'\($0)'" }.joined(separator: ", ")
      throw GraphError.invalidGraph(
        "nodes on or behind a cycle: \(listed)\(stuck.count > 8 ? " and \(stuck.count - 8) more" : "")"
      )
    }
    nodes = order.map { nodes[$0] }
  }
}
