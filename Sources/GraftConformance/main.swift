// Runs ONNX's backend node tests (`<dir>/<test>/model.onnx` with `test_data_set_*/input_*.pb` and
// `output_*.pb`) through Graft's importer and runtime, and compares with the stored outputs.
//
// Usage: graft-conformance NODE_TEST_DIR [--expected-passes FILE] [--filter SUBSTRING]
//        graft-conformance NODE_TEST_DIR --list-passing   (prints the passing case names)
// Prints one line per failing case and `N passed, N failed, N skipped`. With --expected-passes,
// exits 1 when a listed case no longer passes (and lists cases that newly pass).
import Foundation
import GraftIR
import GraftONNX
import GraftRuntime

/// Tolerance of onnx's backend test runner: |actual − expected| ≤ atol + rtol·|expected|.
let relativeTolerance = 1e-3
let absoluteTolerance = 1e-7

enum Outcome {
  case passed
  case failed(String)
  case skipped(String)
}

func sortedFiles(_ folder: String, prefix: String) -> [String] {
  let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
  return names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".pb") }
    .sorted { $0.localizedStandardCompare($1) == .orderedAscending }
    .map { folder + "/" + $0 }
}

func compare(_ actual: Tensor, _ expected: Tensor, name: String) -> String? {
  guard actual.dtype == expected.dtype else {
    return "\(name): dtype \(actual.dtype.rawValue), expected \(expected.dtype.rawValue)"
  }
  guard actual.shape == expected.shape else {
    return "\(name): shape \(actual.shape), expected \(expected.shape)"
  }
  let a = actual.doubles()
  let e = expected.doubles()
  for index in a.indices {
    if a[index].isNaN && e[index].isNaN { continue }
    if a[index] == e[index] { continue }
    if abs(a[index] - e[index]) > absoluteTolerance + relativeTolerance * abs(e[index]) {
      return "\(name): element \(index) is \(a[index]), expected \(e[index])"
    }
  }
  return nil
}

func runCase(_ folder: String) -> Outcome {
  let model: Model
  do {
    model = try ONNXImporter.load(contentsOf: folder + "/model.onnx")
  } catch {
    // Element types and opsets outside the IR are gaps of the IR, like ops outside it.
    let text = "\(error)"
    if text.contains("is not supported") || text.contains("outside the supported") {
      return .skipped("(types or opset outside the IR)")
    }
    return .failed("import: \(error)")
  }
  let unsupported = model.unsupportedOperators.map(\.opType)
  if !unsupported.isEmpty { return .skipped(unsupported.joined(separator: ",")) }
  let interface = model.graph.inputs + model.graph.outputs
  if interface.contains(where: { $0.type.dtype == nil }) { return .skipped("(non-tensor values)") }
  do {
    let session = try Session(graph: model.graph, threads: 1)
    let sets = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
      .filter { $0.hasPrefix("test_data_set_") }.sorted()
    for set in sets {
      let inputFiles = sortedFiles("\(folder)/\(set)", prefix: "input_")
      let outputFiles = sortedFiles("\(folder)/\(set)", prefix: "output_")
      var inputs: [String: Tensor] = [:]
      for (input, file) in zip(model.graph.inputs, inputFiles) {
        inputs[input.name] = try ONNXImporter.loadTensor(contentsOf: file)
      }
      let results = try session.run(inputs)
      for (output, file) in zip(model.graph.outputs, outputFiles) {
        let expected = try ONNXImporter.loadTensor(contentsOf: file)
        guard let actual = results[output.name] else { return .failed("no output \(output.name)") }
        if let difference = compare(actual, expected, name: output.name) {
          return .failed("\(set): \(difference)")
        }
      }
    }
    return .passed
  } catch {
    return .failed("\(error)".replacingOccurrences(of: "\n", with: " "))
  }
}

var arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String) -> String? {
  guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
  defer { arguments.removeSubrange(index...index + 1) }
  return arguments[index + 1]
}
let listPassing = arguments.contains("--list-passing")
arguments.removeAll { $0 == "--list-passing" }
let expectedFile = option("--expected-passes")
let filter = option("--filter")
guard let root = arguments.first else {
  FileHandle.standardError.write(
    Data("usage: graft-conformance NODE_TEST_DIR [--expected-passes FILE] [--filter S]\n".utf8))
  exit(2)
}
let cases = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
  .filter { filter == nil || $0.contains(filter!) }
var passed: [String] = []
var failed = 0
var skippedOps: [String: Int] = [:]
for name in cases {
  switch runCase(root + "/" + name) {
  case .passed: passed.append(name)
  case .failed(let reason):
    failed += 1
    if !listPassing { print("FAIL \(name): \(reason)") }
  case .skipped(let ops):
    skippedOps[ops, default: 0] += 1
  }
}
if listPassing {
  print("# ONNX 1.22.0 backend node tests that Graft passes (tools/conformance --record)")
  for name in passed { print(name) }
  exit(0)
}
let skipped = skippedOps.values.reduce(0, +)
if !skippedOps.isEmpty {
  print("skipped (ops outside the IR): " + skippedOps.keys.sorted().joined(separator: " "))
}
var status: Int32 = 0
if let expectedFile {
  let expected = Set(
    ((try? String(contentsOfFile: expectedFile, encoding: .utf8)) ?? "").split(separator: "\n")
      .map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") })
  let regressions = expected.subtracting(passed).sorted()
  for name in regressions { print("REGRESSION \(name) passed before") }
  let newlyPassing = Set(passed).subtracting(expected).count
  if newlyPassing > 0 { print("\(newlyPassing) cases pass that are not in \(expectedFile)") }
  if !regressions.isEmpty { status = 1 }
}
print("\(passed.count) passed, \(failed) failed, \(skipped) skipped")
exit(status)
