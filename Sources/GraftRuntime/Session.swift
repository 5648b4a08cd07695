internal import COpenBLAS
import Foundation
import GraftIR

/// Runs a graph on the CPU. Built once; serves any batch size (a plan is compiled and cached per
/// set of input shapes).
///
/// The graph is cut at the requested outputs and simplified (constants folded, per-channel Mul and
/// Add and zero spatial Pads folded into the adjacent Conv, identities and dead nodes removed, a
/// Relu or Clip after a Conv fused into it) before any plan is made. Runs are serialised: one
/// session runs one batch at a time; use several sessions for concurrent runs.
public final class Session: @unchecked Sendable {
  /// The graph the session executes, after cutting and simplification.
  public let graph: Graph
  public let pool: ThreadPool
  /// Inputs the model declares; those the simplified graph no longer reads are accepted and
  /// ignored (e.g. `x` of a `Shape(x)` that folded away).
  private let declaredInputs: [ValueInfo]
  /// Small inputs whose values decide shapes (a Reshape target or Resize scales fed as a graph
  /// input): plans for them are keyed on, and specialised to, their values.
  private var valueKeyedInputs: Set<String> = []
  private var plans: [PlanKey: ExecutionPlan] = [:]
  /// When set, runs add each op type's kernel time (milliseconds) to `opTimes`.
  public var profiling = false
  /// Kernel wall time per op type over the profiled runs, in milliseconds.
  public private(set) var opTimes: [String: Double] = [:]
  private let lock = NSLock()

  /// Inputs of at most this many elements may become plan-time constants.
  static let valueKeyedElementLimit = 64

  private struct PlanKey: Hashable {
    var shapes: [String: [Int]]
    var values: [String: [Double]]
  }

  /// - Parameters:
  ///   - outputs: value or node names to compute; the graph's outputs when nil.
  ///   - threads: threads for Graft's kernels (OpenBLAS itself runs single-threaded inside them,
  ///     so results do not depend on the count); all cores when nil.
  /// - Throws: `GraphError` for unknown output names, `RuntimeError.missingKernels` listing every
  ///   op without a kernel.
  public init(graph: Graph, outputs: [String]? = nil, threads: Int? = nil) throws {
    var prepared = try outputs.map { try graph.cut(at: $0) } ?? graph
    try prepared.foldConstants()
    try prepared.foldAffineIntoConvolutions()
    try prepared.foldAffineIntoMatrixProducts()
    try prepared.foldPadsIntoSlidingWindows()
    prepared.removeIdentities()
    prepared.removeDeadNodes()
    try prepared.inferTypes()
    prepared.fuseConvolutionEpilogues()
    let missing = Set(prepared.nodes.filter { !($0.op is any CPUExecutable) }.map(\.opType))
    guard missing.isEmpty else { throw RuntimeError.missingKernels(missing.sorted()) }
    self.graph = prepared
    declaredInputs = graph.inputs
    pool = ThreadPool(threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
    openblas_set_num_threads(1)
  }

  /// Runs the graph on one tensor per graph input (by name) and returns every output by name.
  ///
  /// - Throws: `RuntimeError.badInput` for a missing, extra or mistyped input.
  public func run(_ inputs: [String: Tensor]) throws -> [String: Tensor] {
    for input in graph.inputs where inputs[input.name] == nil {
      throw RuntimeError.badInput("input '\(input.name)' is missing")
    }
    for input in declaredInputs {
      if let value = inputs[input.name] { try check(value, against: input) }
    }
    let unknown = Set(inputs.keys).subtracting(declaredInputs.map(\.name))
    guard unknown.isEmpty else {
      throw RuntimeError.badInput(
        "no graph input named " + unknown.sorted().map { "'\($0)'" }.joined(separator: ", "))
    }
    let needed = inputs.filter { name, _ in graph.inputs.contains { $0.name == name } }
    lock.lock()
    defer { lock.unlock() }
    do {
      return try execute(plan(for: needed), needed)
    } catch RuntimeError.dynamicShape(let message) where valueKeyedInputs.isEmpty {
      // Shapes depend on input values: specialise plans to the values of the small inputs.
      valueKeyedInputs = Set(
        needed.filter { $0.value.count <= Self.valueKeyedElementLimit }.map(\.key))
      guard !valueKeyedInputs.isEmpty else { throw RuntimeError.dynamicShape(message) }
      return try execute(plan(for: needed), needed)
    }
  }

  private func execute(_ plan: ExecutionPlan, _ inputs: [String: Tensor]) throws -> [String: Tensor]
  {
    guard profiling else { return try plan.run(inputs, pool: pool) }
    return try withUnsafeMutablePointer(to: &opTimes) {
      try plan.run(inputs, pool: pool, opTimes: $0)
    }
  }

  /// The cached plan for these inputs' shapes (and the values of value-keyed inputs).
  private func plan(for inputs: [String: Tensor]) throws -> ExecutionPlan {
    let key = PlanKey(
      shapes: inputs.mapValues(\.shape),
      values: inputs.filter { valueKeyedInputs.contains($0.key) }.mapValues { $0.doubles() })
    if let cached = plans[key] { return cached }
    var specialised = graph
    for name in valueKeyedInputs {
      specialised.constants[name] = inputs[name]
      specialised.inputs.removeAll { $0.name == name }
    }
    let plan = try ExecutionPlan(prepared: specialised, inputShapes: key.shapes)
    plans[key] = plan
    return plan
  }

  private func check(_ value: Tensor, against input: ValueInfo) throws {
    if let dtype = input.type.dtype, dtype != value.dtype {
      throw RuntimeError.badInput(
        "input '\(input.name)' must be \(dtype.rawValue), got \(value.dtype.rawValue)")
    }
    guard let dims = input.type.shape else { return }
    guard dims.count == value.shape.count,
      zip(dims, value.shape).allSatisfy({ $0.value == nil || $0.value == $1 })
    else {
      throw RuntimeError.badInput(
        "input '\(input.name)' must have shape \(dims.shapeDescription), got \(value.shape)")
    }
  }
}
