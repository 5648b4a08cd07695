internal import COpenBLAS
import Foundation
import GraftIR

/// Runs a graph on the CPU. Built once; serves any batch size (a plan is compiled and cached per
/// set of input shapes).
///
/// The graph is cut at the requested outputs and simplified (constants folded, identities and dead
/// nodes removed) before any plan is made. Runs are serialised: one session runs one batch at a
/// time; use several sessions for concurrent runs.
public final class Session: @unchecked Sendable {
  /// The graph the session executes, after cutting and simplification.
  public let graph: Graph
  public let pool: ThreadPool
  private var plans: [[String: [Int]]: ExecutionPlan] = [:]
  private let lock = NSLock()

  /// - Parameters:
  ///   - outputs: value or node names to compute; the graph's outputs when nil.
  ///   - threads: threads for Graft's kernels (OpenBLAS itself runs single-threaded inside them,
  ///     so results do not depend on the count); all cores when nil.
  /// - Throws: `GraphError` for unknown output names, `RuntimeError.missingKernels` listing every
  ///   op without a kernel.
  public init(graph: Graph, outputs: [String]? = nil, threads: Int? = nil) throws {
    var prepared = try outputs.map { try graph.cut(at: $0) } ?? graph
    try prepared.foldConstants()
    prepared.removeIdentities()
    prepared.removeDeadNodes()
    try prepared.inferTypes()
    let missing = Set(prepared.nodes.filter { !($0.op is any CPUExecutable) }.map(\.opType))
    guard missing.isEmpty else { throw RuntimeError.missingKernels(missing.sorted()) }
    self.graph = prepared
    pool = ThreadPool(threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
    openblas_set_num_threads(1)
  }

  /// Runs the graph on one tensor per graph input (by name) and returns every output by name.
  ///
  /// - Throws: `RuntimeError.badInput` for a missing, extra or mistyped input.
  public func run(_ inputs: [String: Tensor]) throws -> [String: Tensor] {
    var shapes: [String: [Int]] = [:]
    for input in graph.inputs {
      guard let value = inputs[input.name] else {
        throw RuntimeError.badInput("input '\(input.name)' is missing")
      }
      try check(value, against: input)
      shapes[input.name] = value.shape
    }
    let unknown = Set(inputs.keys).subtracting(graph.inputs.map(\.name))
    guard unknown.isEmpty else {
      throw RuntimeError.badInput(
        "no graph input named " + unknown.sorted().map { "'\($0)'" }.joined(separator: ", "))
    }
    lock.lock()
    defer { lock.unlock() }
    let plan: ExecutionPlan
    if let cached = plans[shapes] {
      plan = cached
    } else {
      plan = try ExecutionPlan(prepared: graph, inputShapes: shapes)
      plans[shapes] = plan
    }
    return try plan.run(inputs, pool: pool)
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
