import ArgumentParser
import Foundation
import Graft

struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure the runtime's throughput and latency on this machine.",
    discussion: """
      Runs the model on random inputs: warm-up runs first, then timed runs. Prints images/s
      (batch items per second), latency per run (median, min, max) and peak memory. The leading
      symbolic dim of each input is the batch; give other unknown dims with --input-shape.
      JSON keys: images_per_second, latency_ms (median, min, max), batch, threads, runs,
      peak_rss_bytes.
      """)

  @OptionGroup var source: ModelArguments

  @Option(help: "Batch size.")
  var batch = 1

  @Option(help: "Threads (default: all cores).")
  var threads: Int?

  @Option(help: "Timed runs.")
  var runs = 10

  @Option(help: "Untimed warm-up runs.")
  var warmup = 3

  @Option(help: "An input's full shape, as NAME=1,3,224,224 (repeatable).")
  var inputShape: [String] = []

  @Option(help: "Values or nodes to compute instead of the model's outputs (repeatable).")
  var output: [String] = []

  @Flag(help: "Also report the kernel time per op type (op_milliseconds in JSON).")
  var profile = false

  @Flag(help: "Print one JSON object.")
  var json = false

  func run() throws {
    try reportingErrors {
      guard batch >= 1, runs >= 1, warmup >= 0 else {
        throw ValidationError("--batch and --runs must be at least 1, --warmup at least 0")
      }
      let loaded = try source.load()
      try loaded.requireSupported(path: source.model)
      let session = try Session(
        graph: loaded.graph, outputs: output.isEmpty ? nil : output, threads: threads)
      var shapes: [String: [Int]] = [:]
      for entry in inputShape {
        let parts = entry.split(separator: "=", maxSplits: 1)
        let sizes = parts.count == 2 ? parts[1].split(separator: ",").compactMap { Int($0) } : []
        guard parts.count == 2, sizes.count == parts[1].split(separator: ",").count else {
          throw ValidationError("--input-shape '\(entry)' should read NAME=1,3,224,224")
        }
        shapes[String(parts[0])] = sizes
      }
      let inputs = try benchmarkInputs(for: session.graph, batch: batch, shapes: shapes)
      let report = try benchmark(
        session, inputs: inputs, batch: batch, warmup: warmup, runs: runs, profile: profile)
      if json {
        try printJSON(report)
      } else {
        func fixed(_ value: Double, _ digits: Int) -> String {
          String(format: "%.\(digits)f", value)
        }
        let latency = report.latencyMs
        print(
          "\(source.model): batch \(report.batch), \(report.threads) threads, \(report.runs) runs")
        print("  \(fixed(report.imagesPerSecond, 1)) images/s")
        print(
          "  latency \(fixed(latency.median, 2)) ms median "
            + "(min \(fixed(latency.min, 2)), max \(fixed(latency.max, 2)))")
        print("  peak memory \(fixed(Double(report.peakRSSBytes) / 1e6, 1)) MB")
        if let times = report.opMilliseconds {
          print("  kernel time per run by op:")
          for (op, milliseconds) in times.sorted(by: { $0.value > $1.value }) {
            print(
              "    \(op.padding(toLength: 22, withPad: " ", startingAt: 0)) \(fixed(milliseconds, 2)) ms"
            )
          }
        }
      }
    }
  }
}
