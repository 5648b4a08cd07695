import Foundation
import GraftIR
import GraftRuntime

/// Throughput and latency of a session on random inputs, as `graft bench` reports them.
public struct BenchmarkReport: Sendable, Encodable {
  public struct Latency: Sendable, Encodable {
    public var median: Double
    public var min: Double
    public var max: Double
  }

  public var batch: Int
  public var threads: Int
  public var runs: Int
  /// Samples (the batch dim's items) per second over the timed runs.
  public var imagesPerSecond: Double
  /// Milliseconds per run.
  public var latencyMs: Latency
  /// The process's peak resident memory, in bytes.
  public var peakRSSBytes: Int
  /// Milliseconds per timed run spent in each op type's kernels, when profiled.
  public var opMilliseconds: [String: Double]?

  enum CodingKeys: String, CodingKey {
    case batch, threads, runs
    case imagesPerSecond = "images_per_second"
    case latencyMs = "latency_ms"
    case peakRSSBytes = "peak_rss_bytes"
    case opMilliseconds = "op_milliseconds"
  }
}

/// Random inputs for every graph input: symbolic leading dims set to `batch`, other non-fixed dims
/// from `shapes` (by input name).
///
/// - Throws: `RuntimeError.badInput` naming an input whose shape stays unknown.
public func benchmarkInputs(for graph: Graph, batch: Int, shapes: [String: [Int]] = [:]) throws
  -> [String: Tensor]
{
  var generator = SplitMix64(seed: 0)
  var inputs: [String: Tensor] = [:]
  for input in graph.inputs {
    let dims = input.type.shape ?? []
    let shape: [Int]
    if let given = shapes[input.name] {
      shape = given
    } else {
      var resolved: [Int] = []
      for (axis, dim) in dims.enumerated() {
        if let size = dim.value {
          resolved.append(size)
        } else if axis == 0 {
          resolved.append(batch)
        } else {
          throw RuntimeError.badInput(
            "input '\(input.name)' has shape \(dims.shapeDescription): give its size with "
              + "--input-shape \(input.name)=…")
        }
      }
      shape = resolved
    }
    let count = shape.reduce(1, *)
    let dtype = input.type.dtype ?? .float32
    let values = (0..<count).map { _ in Double(Float.random(in: -1...1, using: &generator)) }
    inputs[input.name] =
      dtype.isFloatingPoint
      ? Tensor.converting(values, to: dtype, shape: shape)
      : Tensor.converting(values.map { ($0 + 1) * 2 }, to: dtype, shape: shape)
  }
  return inputs
}

/// Runs `session` `warmup` times untimed, then `runs` times timed.
/// With `profile`, the timed runs also record kernel time per op type.
public func benchmark(
  _ session: Session, inputs: [String: Tensor], batch: Int, warmup: Int = 3, runs: Int = 10,
  profile: Bool = false
) throws -> BenchmarkReport {
  for _ in 0..<warmup { _ = try session.run(inputs) }
  session.profiling = profile
  var latencies: [Double] = []
  for _ in 0..<max(runs, 1) {
    let start = DispatchTime.now().uptimeNanoseconds
    _ = try session.run(inputs)
    latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
  }
  let sorted = latencies.sorted()
  let total = latencies.reduce(0, +)
  var usage = rusage()
  getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
  return BenchmarkReport(
    batch: batch, threads: session.pool.threads, runs: latencies.count,
    imagesPerSecond: Double(batch * latencies.count) / (total / 1000),
    latencyMs: .init(median: sorted[sorted.count / 2], min: sorted.first!, max: sorted.last!),
    peakRSSBytes: Int(usage.ru_maxrss) * 1024,
    opMilliseconds: profile ? session.opTimes.mapValues { $0 / Double(latencies.count) } : nil)
}
