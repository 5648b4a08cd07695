import Foundation
import Graft

/// What `graft convert` prints: the model before and after, what the passes removed, and the
/// `--check` comparison.
///
/// JSON keys: `source`, `destination`, `opset`, `nodes_before`, `nodes_after`, `ops_before`,
/// `ops_after` (op type → count), `parameters_before`, `parameters_after`, `removed` (pass →
/// nodes removed), `inputs_made_nchw`, and with `--check` `check` (per output: `output`,
/// `max_abs_difference`, `tolerance`, `passed`).
struct ConversionReport: Encodable {
  struct Comparison: Encodable {
    var output: String
    var maxAbsDifference: Double
    /// The allowed difference: the relative tolerance times `max(1, max |source|)`.
    var tolerance: Double
    var passed: Bool

    enum CodingKeys: String, CodingKey {
      case output, tolerance, passed
      case maxAbsDifference = "max_abs_difference"
    }
  }

  var source: String
  var destination: String
  var opset: Int
  var opsBefore: [String: Int]
  var opsAfter: [String: Int]
  var parametersBefore: Int
  var parametersAfter: Int
  var removed: [String: Int]
  var inputsMadeNCHW: [String]
  var check: [Comparison]?

  var checkPassed: Bool { check?.allSatisfy(\.passed) ?? true }

  enum CodingKeys: String, CodingKey {
    case source, destination, opset, removed, check
    case nodesBefore = "nodes_before"
    case nodesAfter = "nodes_after"
    case opsBefore = "ops_before"
    case opsAfter = "ops_after"
    case parametersBefore = "parameters_before"
    case parametersAfter = "parameters_after"
    case inputsMadeNCHW = "inputs_made_nchw"
  }

  /// The report of `summary`; `written` is the file as read back, whose ops are what the file
  /// holds (at an old opset a newer op is written as several).
  init(
    _ summary: ConversionSummary, written: Graph, source: String, destination: String,
    opset: Int, comparisons: [OutputComparison], tolerance: Double
  ) {
    self.source = source
    self.destination = destination
    self.opset = opset
    opsBefore = summary.source.graph.opCounts
    opsAfter = written.opCounts
    parametersBefore = summary.source.graph.parameterCount
    parametersAfter = written.parameterCount
    removed = summary.optimization.nodesRemoved.filter { $0.value > 0 }
    inputsMadeNCHW = summary.permutedInputs.keys.sorted()
    check =
      comparisons.isEmpty
      ? nil
      : comparisons.map {
        let allowed = tolerance * $0.scale
        return Comparison(
          output: $0.name, maxAbsDifference: $0.maxAbsDifference, tolerance: allowed,
          passed: $0.maxAbsDifference <= allowed)
      }
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(source, forKey: .source)
    try container.encode(destination, forKey: .destination)
    try container.encode(opset, forKey: .opset)
    try container.encode(opsBefore.values.reduce(0, +), forKey: .nodesBefore)
    try container.encode(opsAfter.values.reduce(0, +), forKey: .nodesAfter)
    try container.encode(opsBefore, forKey: .opsBefore)
    try container.encode(opsAfter, forKey: .opsAfter)
    try container.encode(parametersBefore, forKey: .parametersBefore)
    try container.encode(parametersAfter, forKey: .parametersAfter)
    try container.encode(removed, forKey: .removed)
    try container.encode(inputsMadeNCHW, forKey: .inputsMadeNCHW)
    try container.encodeIfPresent(check, forKey: .check)
  }

  /// The summary as a few lines of text.
  var text: String {
    func grouped(_ n: Int) -> String { n.formatted(.number.grouping(.automatic)) }
    func histogram(_ ops: [String: Int]) -> String {
      ops.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
    var lines = [
      "\(source) → \(destination) (ONNX opset \(opset))",
      "  nodes       \(opsBefore.values.reduce(0, +)) → \(opsAfter.values.reduce(0, +))",
      "  parameters  \(grouped(parametersBefore)) → \(grouped(parametersAfter))",
      "  ops after   \(histogram(opsAfter))",
    ]
    if !removed.isEmpty {
      lines.append(
        "  removed     "
          + removed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
          .joined(separator: ", "))
    }
    if !inputsMadeNCHW.isEmpty {
      lines.append("  NCHW inputs \(inputsMadeNCHW.joined(separator: ", "))")
    }
    for comparison in check ?? [] {
      let verdict = comparison.passed ? "ok" : "FAILED"
      lines.append(
        "  check \(comparison.output): max |diff| "
          + String(
            format: "%.3g (tolerance %.3g) ", comparison.maxAbsDifference, comparison.tolerance)
          + verdict)
    }
    return lines.joined(separator: "\n")
  }
}
