extension Graph {
  /// Folds a zero constant `Pad` of the spatial axes that only feeds a `Conv` into that Conv's own
  /// pads, removing the Pad node (tf2onnx writes TensorFlow's asymmetric "same" padding of strided
  /// convolutions this way).
  ///
  /// Pad's `pads` list begins then ends over all axes (`[x1_b, x2_b, …, x1_e, x2_e, …]`); Conv's
  /// list them over the spatial axes only. The Pad must leave N and C alone, pad with 0, and the
  /// Conv must use explicit pads (`auto_pad` NOTSET).
  ///
  /// - Returns: the number of Pad nodes folded.
  @discardableResult
  public mutating func foldPadsIntoConvolutions() throws -> Int {
    let uses = useCounts
    let graphOutputs = Set(outputs.map(\.name))
    var padIndex: [String: Int] = [:]
    for (index, node) in nodes.enumerated() where node.op is Pad {
      padIndex[node.outputs[0]] = index
    }
    var removed = Set<Int>()
    for index in nodes.indices {
      guard var conv = nodes[index].op as? Conv, conv.autoPad == .notSet,
        let padAt = padIndex[nodes[index].inputs[0]], uses[nodes[index].inputs[0]] == 1,
        !graphOutputs.contains(nodes[index].inputs[0]),
        let spatial = zeroSpatialPads(of: nodes[padAt])
      else { continue }
      let rank = spatial.count / 2
      let existing = conv.pads ?? Array(repeating: 0, count: 2 * rank)
      guard existing.count == 2 * rank else { continue }
      conv.pads = zip(existing, spatial).map { $0 + $1 }
      nodes[index].op = conv
      nodes[index].inputs[0] = nodes[padAt].inputs[0]
      removed.insert(padAt)
    }
    guard !removed.isEmpty else { return 0 }
    nodes = nodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
    removeDeadNodes()
    try inferTypes()
    return removed.count
  }

  /// The spatial begin and end pads of a constant-zero Pad that leaves axes 0 and 1 alone.
  private func zeroSpatialPads(of node: Node) -> [Int]? {
    guard let pad = node.op as? Pad, pad.mode == .constant, node.inputs.count >= 2,
      node.inputs.count < 4 || node.inputs[3].isEmpty,
      let pads = constants[node.inputs[1]]?.integers(), pads.count % 2 == 0, pads.count >= 6,
      pads.allSatisfy({ $0 >= 0 })
    else { return nil }
    if node.inputs.count > 2, !node.inputs[2].isEmpty {
      guard let value = constants[node.inputs[2]], value.doubles().allSatisfy({ $0 == 0 }) else {
        return nil
      }
    }
    let rank = pads.count / 2
    guard pads[0] == 0, pads[1] == 0, pads[rank] == 0, pads[rank + 1] == 0 else { return nil }
    return (pads[2..<rank] + pads[(rank + 2)...]).map(Int.init)
  }
}
