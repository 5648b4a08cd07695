import GraftIR

/// A `Conv` followed by an optional residual `Add` and an optional activation, run as one kernel:
/// `Y = activation(Conv(X, W, B) + R)`.
///
/// Inputs are the Conv's (X, W, and B or "" when absent), then R when `residual` is set.
/// Runtime-only: the session's epilogue fusion makes these nodes from a Conv and the nodes reading
/// it; they never leave the session's prepared graph. Types are the Conv's.
struct FusedConv: Operator, Hashable {
  static let opType = "FusedConv"
  let conv: Conv
  let residual: Bool
  let activation: FusedActivation?

  func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    try conv.inferTypes(context)
  }

  func flops(_ context: InferenceContext, outputs: [ValueType]) -> Int? {
    conv.flops(context, outputs: outputs)
  }
}

extension FusedConv: CPUExecutable {
  func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    try Float32Bridge.kernel(context, op: "Conv", bridged: []) {
      try ConvKernel(conv, $0, residual: residual, activation: activation)
    }
  }
}

extension Graph {
  /// Replaces each float32 `Conv` and the nodes that alone read its output — an `Add` of a tensor
  /// of the same shape (the residual), then a Relu or constant-bound Clip, either or both — by
  /// one `FusedConv` writing the last one's output. Intermediate values must not be graph
  /// outputs. The fused node takes the place of the last node it absorbs, where the residual is
  /// already computed.
  ///
  /// - Returns: the number of nodes absorbed into convolutions.
  @discardableResult
  mutating func fuseConvolutionEpilogues() -> Int {
    let uses = useCounts
    var reader: [String: Int] = [:]
    for (index, node) in nodes.enumerated() {
      for input in node.inputs where !input.isEmpty { reader[input] = index }
    }
    var replacements: [Int: Node] = [:]
    var absorbed = Set<Int>()
    /// The node, not yet absorbed, that is the only reader of `value`.
    func soleReader(of value: String) -> Int? {
      guard uses[value] == 1, let index = reader[value], !absorbed.contains(index) else {
        return nil
      }
      return index
    }
    for (index, node) in nodes.enumerated() {
      guard let conv = node.op as? Conv, let output = node.outputs.first,
        type(of: output)?.dtype == .float32
      else { continue }
      var chain: [Int] = []
      var residual: String?
      if let add = soleReader(of: output), nodes[add].op is Add,
        let other = residualOperand(of: nodes[add], besides: output)
      {
        residual = other
        chain.append(add)
      }
      var activation: FusedActivation?
      if let next = soleReader(of: chain.last.map { nodes[$0].outputs[0] } ?? output),
        let found = FusedActivation(nodes[next], constants: constants)
      {
        chain.append(next)
        activation = found
      }
      guard let last = chain.last else { continue }
      var fused = node
      fused.op = FusedConv(conv: conv, residual: residual != nil, activation: activation)
      if let residual {
        fused.inputs = (0..<3).map { $0 < node.inputs.count ? node.inputs[$0] : "" } + [residual]
      }
      fused.outputs = nodes[last].outputs
      replacements[last] = fused
      absorbed.formUnion(chain + [index])
    }
    nodes = nodes.enumerated().compactMap { index, node in
      replacements[index] ?? (absorbed.contains(index) ? nil : node)
    }
    return absorbed.count - replacements.count
  }

  /// The operand of `add` other than `value`, when both have the same fully known float32 shape
  /// (so the sum needs no broadcasting).
  private func residualOperand(of add: Node, besides value: String) -> String? {
    guard add.inputs.count == 2, add.inputs.filter({ $0 == value }).count == 1,
      let other = add.inputs.first(where: { $0 != value }),
      let shape = type(of: value)?.shape, let otherType = type(of: other),
      otherType.dtype == .float32, otherType.shape == shape,
      shape.allSatisfy({ $0 != .unknown })
    else { return nil }
    return other
  }
}
