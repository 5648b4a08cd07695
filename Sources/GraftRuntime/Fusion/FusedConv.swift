import GraftIR

/// A `Conv` whose output goes straight through an activation, run as one kernel.
///
/// Runtime-only: the session's activation fusion makes these nodes from a Conv and the Relu or
/// Clip reading it; they never leave the session's prepared graph. Types are the Conv's.
struct FusedConv: Operator, Hashable {
  static let opType = "FusedConv"
  let conv: Conv
  let activation: FusedActivation

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
      try ConvKernel(conv, $0, activation: activation)
    }
  }
}

extension Graph {
  /// Replaces each float32 `Conv` whose output is read only by a Relu or a constant-bound Clip
  /// (and is not a graph output) by one `FusedConv` writing the activation's output.
  ///
  /// - Returns: the number of activations fused.
  @discardableResult
  mutating func fuseConvActivations() -> Int {
    let uses = useCounts
    let graphOutputs = Set(outputs.map(\.name))
    let producer = producers
    var fused: [Int: Node] = [:]
    var absorbed = Set<Int>()
    for (index, node) in nodes.enumerated() {
      guard let activation = FusedActivation(node, constants: constants),
        let convOutput = node.inputs.first, uses[convOutput] == 1,
        !graphOutputs.contains(convOutput), let convIndex = producer[convOutput],
        let conv = nodes[convIndex].op as? Conv, type(of: convOutput)?.dtype == .float32
      else { continue }
      var replacement = nodes[convIndex]
      replacement.op = FusedConv(conv: conv, activation: activation)
      replacement.outputs = node.outputs
      fused[convIndex] = replacement
      absorbed.insert(index)
    }
    nodes = nodes.enumerated().compactMap { index, node in
      absorbed.contains(index) ? nil : fused[index] ?? node
    }
    return absorbed.count
  }
}
