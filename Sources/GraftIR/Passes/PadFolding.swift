extension Graph {
  /// Folds a zero constant `Pad` of the spatial axes that only feeds a sliding window into that
  /// window's own pads, removing the Pad node.
  ///
  /// - `Conv`: always (tf2onnx writes TensorFlow's asymmetric "same" padding of strided
  ///   convolutions this way, and Keras's `ZeroPadding2D` before a strided convolution is the same).
  /// - `AveragePool`: counting the padding in the average (`count_include_pad`), which zeros do;
  ///   only when the pool has no pads of its own or already counts them.
  /// - `MaxPool`: when the Pad's input comes from a `Relu` or a `Clip` with a constant lower bound
  ///   ≥ 0 (ResNet's `ZeroPadding2D` before its first pooling). MaxPool's own padding is −∞, so
  ///   the two agree only where values are ≥ 0 and every window holds a real value: each pad must be
  ///   smaller than the (dilated) kernel, and `ceil_mode` off.
  ///
  /// Pad's `pads` list begins then ends over all axes (`[x1_b, x2_b, …, x1_e, x2_e, …]`); the
  /// window ops list them over the spatial axes only. The Pad must leave N and C alone and pad
  /// with 0, and the window must use explicit pads (`auto_pad` NOTSET).
  ///
  /// - Returns: the number of Pad nodes folded.
  @discardableResult
  public mutating func foldPadsIntoSlidingWindows() throws -> Int {
    let uses = useCounts
    let graphOutputs = Set(outputs.map(\.name))
    let producers = self.producers
    var removed = Set<Int>()
    for index in nodes.indices {
      guard let input = nodes[index].inputs.first, let padAt = producers[input],
        nodes[padAt].op is Pad, uses[input] == 1, !graphOutputs.contains(input),
        let spatial = zeroSpatialPads(of: nodes[padAt])
      else { continue }
      let padded = nodes[padAt].inputs[0]
      let nonNegative = producers[padded].map { isNonNegative(nodes[$0]) } ?? false
      guard let folded = withPads(spatial, added: nodes[index], nonNegative: nonNegative)
      else { continue }
      nodes[index].op = folded
      nodes[index].inputs[0] = padded
      removed.insert(padAt)
    }
    guard !removed.isEmpty else { return 0 }
    nodes = nodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
    removeDeadNodes()
    try inferTypes()
    return removed.count
  }

  /// `node`'s op with `spatial` (begins then ends) added to its pads, or nil when it cannot take
  /// them (see `foldPadsIntoSlidingWindows`).
  private func withPads(_ spatial: [Int], added node: Node, nonNegative: Bool) -> (any Operator)? {
    let rank = spatial.count / 2
    func sum(_ existing: [Int]?) -> [Int]? {
      let existing = existing ?? Array(repeating: 0, count: 2 * rank)
      return existing.count == 2 * rank ? zip(existing, spatial).map { $0 + $1 } : nil
    }
    switch node.op {
    case var conv as Conv where conv.autoPad == .notSet:
      guard let pads = sum(conv.pads) else { return nil }
      conv.pads = pads
      return conv
    case var pool as AveragePool where pool.autoPad == .notSet:
      guard pool.countIncludePad || (pool.pads ?? []).allSatisfy({ $0 == 0 }),
        let pads = sum(pool.pads)
      else { return nil }
      pool.pads = pads
      pool.countIncludePad = true
      return pool
    case var pool as MaxPool where pool.autoPad == .notSet:
      let dilations = pool.dilations ?? Array(repeating: 1, count: rank)
      guard nonNegative, !pool.ceilMode, node.outputs.count < 2 || node.outputs[1].isEmpty,
        pool.kernelShape.count == rank, dilations.count == rank, let pads = sum(pool.pads),
        pads.enumerated().allSatisfy({
          $0.element < (pool.kernelShape[$0.offset % rank] - 1)
            * dilations[$0.offset % rank] + 1
        })
      else { return nil }
      pool.pads = pads
      return pool
    default:
      return nil
    }
  }

  /// Whether `producer`'s output is known to hold no negative number: it is a `Relu`, or a `Clip`
  /// whose lower bound is a constant ≥ 0.
  private func isNonNegative(_ producer: Node) -> Bool {
    switch producer.op {
    case is Relu:
      return true
    case is Clip:
      guard producer.inputs.count > 1, let lower = constants[producer.inputs[1]] else {
        return false
      }
      return lower.doubles().allSatisfy { $0 >= 0 }
    default:
      return false
    }
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
