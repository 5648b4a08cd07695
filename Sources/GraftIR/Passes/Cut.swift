extension Graph {
  /// The sub-graph that computes the named values, with everything else pruned.
  ///
  /// Each name is a view (a Keras layer's output in Keras's layout, see `InterfaceView`), a value
  /// (ONNX tensor name) or a node name, which stands for the node's first output. Graph inputs
  /// nothing needs any more are dropped.
  ///
  /// - Throws: `GraphError.invalidGraph` listing every name that matches nothing, with the closest
  ///   candidates.
  public func cut(at names: [String]) throws -> Graph {
    var resolved: [String] = []
    var missing: [String] = []
    let nodeOutputs = Dictionary(
      nodes.map { ($0.name, $0.outputs.first ?? "") }, uniquingKeysWith: { first, _ in first })
    var viewNames: [String] = []
    for name in names {
      if views[name] != nil, type(of: name) == nil {
        viewNames.append(name)
        resolved.append(name)
      } else if type(of: name) != nil || constants[name] != nil {
        resolved.append(name)
      } else if let output = nodeOutputs[name], !output.isEmpty {
        resolved.append(output)
      } else {
        missing.append(name)
      }
    }
    guard missing.isEmpty else {
      let candidates = Set(nodes.map(\.name)).union(types.keys).union(views.keys)
      let lines = missing.map { name in
        let close = candidates.filter { $0.lowercased().contains(name.lowercased()) }.sorted()
          .prefix(5)
        return close.isEmpty
          ? "'\(name)' is neither a value nor a node"
          : "'\(name)' is neither a value nor a node (did you mean \(close.map { "'\($0)'" }.joined(separator: ", "))?)"
      }
      throw GraphError.invalidGraph(lines.joined(separator: "\n"))
    }
    var result = self
    for name in Set(viewNames) where result.type(of: name) == nil {
      try result.materializeView(name)
    }
    if !viewNames.isEmpty { try result.inferTypes() }
    result.outputs = resolved.map { ValueInfo(name: $0, type: result.type(of: $0) ?? .unknown) }
    result.removeDeadNodes()
    return result
  }
}
