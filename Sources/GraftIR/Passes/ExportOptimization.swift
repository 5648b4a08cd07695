/// The passes `Graph.optimize(_:)` runs.
public struct OptimizationPasses: OptionSet, Sendable, Hashable {
  public let rawValue: Int

  public init(rawValue: Int) { self.rawValue = rawValue }

  /// `foldConstants()`: constant subgraphs and shape chains become constants.
  public static let constantFolding = OptimizationPasses(rawValue: 1 << 0)
  /// `foldAffineIntoConvolutions()` and `foldAffineIntoMatrixProducts()`: BatchNormalization and
  /// per-channel Mul and Add folded into the Conv, Gemm or MatMul before them.
  public static let batchNormFolding = OptimizationPasses(rawValue: 1 << 1)
  /// `optimizeTransposes()`: Transposes cancelled, merged and folded.
  public static let transposeOptimization = OptimizationPasses(rawValue: 1 << 2)
  /// `removeIdentities()`: Identity and Dropout removed (views on their values kept).
  public static let identityRemoval = OptimizationPasses(rawValue: 1 << 3)
  /// `foldPadsIntoSlidingWindows()`: zero Pads folded into the Conv or pooling after them.
  public static let padFolding = OptimizationPasses(rawValue: 1 << 4)
  /// `removeDeadNodes()`: nodes, constants and inputs no output needs removed.
  public static let deadNodeRemoval = OptimizationPasses(rawValue: 1 << 5)
  /// `collapseReshapeChains()`: chains of Reshape, Flatten, Squeeze and Unsqueeze shortened to one
  /// Reshape, or removed when they give their input's shape back.
  public static let reshapeChains = OptimizationPasses(rawValue: 1 << 6)

  /// Each pass by the name `graft convert --disable-pass` and the report use.
  public static let named: [String: OptimizationPasses] = [
    "constant-folding": .constantFolding, "batchnorm-folding": .batchNormFolding,
    "transposes": .transposeOptimization, "identities": .identityRemoval,
    "pad-folding": .padFolding, "dead-nodes": .deadNodeRemoval, "reshapes": .reshapeChains,
  ]

  public static let all: OptimizationPasses = [
    .constantFolding, .batchNormFolding, .transposeOptimization, .identityRemoval, .padFolding,
    .deadNodeRemoval, .reshapeChains,
  ]
}

/// What `Graph.optimize(_:)` changed.
public struct OptimizationReport: Sendable, Equatable {
  /// Nodes per op type before and after.
  public var opsBefore: [String: Int]
  public var opsAfter: [String: Int]
  /// Nodes each pass removed over all rounds, by pass name (see `OptimizationPasses.named`).
  public var nodesRemoved: [String: Int]
  /// Elements of the floating-point constants before and after (see `Graph.parameterCount`).
  public var parametersBefore: Int
  public var parametersAfter: Int
  /// Rounds of the pipeline run until a round changed nothing (or the bound was reached).
  public var rounds: Int
}

extension Graph {
  /// The most rounds `optimize(_:)` runs; each pass only shrinks the graph, so a few suffice.
  static let maximumOptimizationRounds = 8

  /// Runs the selected passes until a round changes nothing, then places activations after
  /// their convolutions (see `placeActivationsAfterConvolutions()`) and re-infers types.
  ///
  /// A round runs, in order, constant folding, identity removal, Transpose optimisation, affine
  /// folding, Pad folding, reshape chains and dead-node removal: removing Transposes brings a Conv next to the
  /// Mul and Add it can absorb, folding a Pad needs the Transpose before the Conv gone, and so
  /// on. Views whose value no longer exists are dropped (the passes rename and remove values;
  /// views only matter to cuts, which come before optimisation).
  ///
  /// - Returns: ops per type, nodes removed per pass and parameter counts, before and after.
  /// - Throws: `GraphError` when a pass or type inference fails, or the result does not verify.
  public mutating func optimize(_ passes: OptimizationPasses) throws -> OptimizationReport {
    try inferTypes()
    let opsBefore = opCounts
    let parametersBefore = parameterCount
    var removed: [String: Int] = [:]
    var rounds = 0
    var changed = true
    while changed && rounds < Self.maximumOptimizationRounds {
      rounds += 1
      changed = false
      func run(_ pass: OptimizationPasses, _ name: String, _ body: () throws -> Int) rethrows {
        guard passes.contains(pass) else { return }
        let before = nodes.count
        if try body() > 0 { changed = true }
        removed[name, default: 0] += before - nodes.count
      }
      try run(.constantFolding, "constant-folding") { try foldConstants() }
      run(.identityRemoval, "identities") { removeIdentities() }
      try run(.transposeOptimization, "transposes") {
        try hoistTransposesToInputs() + optimizeTransposes()
      }
      try run(.batchNormFolding, "batchnorm-folding") {
        try foldAffineIntoConvolutions() + foldAffineIntoMatrixProducts()
      }
      try run(.padFolding, "pad-folding") { try foldPadsIntoSlidingWindows() }
      try run(.reshapeChains, "reshapes") { try collapseReshapeChains() }
      run(.deadNodeRemoval, "dead-nodes") { removeDeadNodes() }
    }
    placeActivationsAfterConvolutions()
    try inferTypes()
    views = views.filter { type(of: $0.value.value) != nil }
    try verify()
    return OptimizationReport(
      opsBefore: opsBefore, opsAfter: opCounts, nodesRemoved: removed,
      parametersBefore: parametersBefore, parametersAfter: parameterCount, rounds: rounds)
  }

  /// Nodes per op type.
  public var opCounts: [String: Int] {
    nodes.reduce(into: [:]) { counts, node in counts[node.opType, default: 0] += 1 }
  }

  /// Elements of the floating-point constants (the weights), `Constant` nodes included so that
  /// folding them does not change the count.
  public var parameterCount: Int {
    let values = constants.values + nodes.compactMap { ($0.op as? Constant)?.value }
    return values.filter(\.dtype.isFloatingPoint).reduce(0) { $0 + $1.count }
  }

  /// Moves each activation that alone reads a Conv's output (reading nothing else but constants)
  /// to the position right after that Conv; the order stays topological.
  ///
  /// Runtimes that fuse a convolution with its activation while walking the node list once
  /// (embedded and streaming executors, layer-by-layer converters) only fuse when the activation
  /// is the next node. Passes that rewrite in place can leave other nodes between them (a sunk
  /// Transpose, the other branch of a residual), and the activation then runs as a separate
  /// sweep over memory. Order never changes results.
  ///
  /// - Returns: the number of activations moved.
  @discardableResult
  public mutating func placeActivationsAfterConvolutions() -> Int {
    let uses = useCounts
    let graphOutputs = Set(outputs.map(\.name))
    var reader: [String: Int] = [:]
    for (index, node) in nodes.enumerated() {
      for input in node.inputs where !input.isEmpty { reader[input] = index }
    }
    var activationOf: [Int: Int] = [:]
    for (index, node) in nodes.enumerated() where node.op is Conv {
      let output = node.outputs[0]
      guard uses[output] == 1, !graphOutputs.contains(output), let next = reader[output],
        Self.isActivation(nodes[next].op), nodes[next].inputs.first == output,
        nodes[next].inputs.dropFirst().allSatisfy({ $0.isEmpty || constants[$0] != nil })
      else { continue }
      activationOf[index] = next
    }
    let moved = activationOf.filter { $0.value != $0.key + 1 }.count
    let placed = Set(activationOf.values)
    var ordered: [Node] = []
    ordered.reserveCapacity(nodes.count)
    for (index, node) in nodes.enumerated() where !placed.contains(index) {
      ordered.append(node)
      if let next = activationOf[index] { ordered.append(nodes[next]) }
    }
    nodes = ordered
    return moved
  }

  /// Whether `op` is an activation that runtimes fuse into the convolution before it.
  private static func isActivation(_ op: any Operator) -> Bool {
    switch op {
    case is Relu, is Clip, is LeakyRelu, is Sigmoid, is HardSigmoid, is HardSwish, is Tanh,
      is Elu, is Selu, is Gelu, is PRelu:
      true
    default:
      false
    }
  }
}
