import Foundation
import GraftIR
import Testing

@testable import GraftONNX

/// The error text of loading `data` as a model named `path`, or nil when it loads.
private func loadError(_ data: Data, path: String = "test.onnx") -> String? {
  do {
    _ = try ONNXImporter.load(data: data, path: path)
    return nil
  } catch {
    return "\(error)"
  }
}

@Test(arguments: [
  ("external_escape.onnx", "points outside the model's folder"),
  ("external_missing.onnx", "cannot open"),
  ("cycle.onnx", "cycle: 'first', 'second'"),
  ("undefined_value.onnx", "node 'add' (Add): input 'ghost' is not defined"),
  ("opset_too_new.onnx", "opset 99 is outside the supported 7…27"),
  ("no_graph.onnx", "has no graph"),
  ("raw_data_short.onnx", "tensor 'w': raw_data holds 8 bytes, the shape [4] needs 16"),
])
func brokenModelGivesOneClearError(file: String, expected: String) {
  let path = FixturePaths.badONNX(file)
  #expect {
    _ = try ONNXImporter.load(contentsOf: path)
  } throws: { error in
    let text = "\(error)"
    return text.hasPrefix(path) && text.contains(expected)
  }
}

@Test func emptyMissingAndNonModelFilesAreRefused() throws {
  #expect(loadError(Data()) == "test.onnx: not an ONNX model: the file is empty")
  #expect(loadError(Data("hello, this is text\n".utf8))?.contains("not an ONNX model") == true)
  #expect(
    loadError(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))?.contains("not an ONNX")
      == true)
  #expect {
    _ = try ONNXImporter.load(contentsOf: "/nonexistent/model.onnx")
  } throws: { "\($0)" == "/nonexistent/model.onnx: cannot read the file: no such file" }
  #expect {
    _ = try ONNXImporter.load(contentsOf: FixturePaths.repository.path)
  } throws: { "\($0)".contains("it is a folder") }
}

/// Protobuf bytes of `field` (length-delimited) holding `payload`.
private func lengthDelimited(field: UInt64, _ payload: [UInt8]) -> [UInt8] {
  var bytes: [UInt8] = []
  for var value in [field << 3 | 2, UInt64(payload.count)] {
    while value >= 0x80 {
      bytes.append(UInt8(value & 0x7f) | 0x80)
      value >>= 7
    }
    bytes.append(UInt8(value))
  }
  return bytes + payload
}

@Test func deeplyNestedSubgraphsAreRefusedWithoutExhaustingTheStack() {
  // Model.graph → (Graph.node → Node.attribute → Attribute.g → Graph)* nested 2,000 times.
  var graph: [UInt8] = []
  for _ in 0..<2_000 {
    graph = lengthDelimited(field: 1, lengthDelimited(field: 5, lengthDelimited(field: 6, graph)))
  }
  let model = [0x08, 0x08] + lengthDelimited(field: 7, graph)
  #expect(loadError(Data(model))?.contains("nested more than 100 levels") == true)
}

/// Every fixture model, cut short at several points: each copy gives an error naming the file.
@Test(arguments: FixturePaths.onnxModels)
func truncatedCopiesFailCleanly(fixture: String) throws {
  let data = try Data(contentsOf: URL(fileURLWithPath: FixturePaths.onnxModel(fixture)))
  for fraction in [0.1, 0.25, 0.5, 0.75, 0.9] {
    let cut = Int(Double(data.count) * fraction)
    let error = loadError(data.prefix(cut), path: "cut.onnx")
    #expect(
      error?.hasPrefix("cut.onnx: ") == true, "\(fixture) cut at \(cut) bytes: \(error ?? "loaded")"
    )
  }
  let error = loadError(data.prefix(data.count - 1), path: "cut.onnx")
  #expect(error?.hasPrefix("cut.onnx: ") == true, "\(fixture) missing its last byte")
}

/// Every fixture model with bytes overwritten: each copy either loads into a graph that verifies
/// (the damage hit weight bytes) or gives an error naming the file — never a crash.
@Test(arguments: FixturePaths.onnxModels)
func corruptedCopiesNeverCrash(fixture: String) throws {
  let original = try Data(contentsOf: URL(fileURLWithPath: FixturePaths.onnxModel(fixture)))
  var generator = SplitMix64(seed: 42)
  var errors = 0
  for trial in 0..<40 {
    var data = original
    let start = Int(generator.next() % UInt64(data.count))
    for offset in start..<min(start + 1 + trial % 16, data.count) {
      data[offset] = trial % 2 == 0 ? 0xFF : UInt8(truncatingIfNeeded: generator.next())
    }
    do {
      let model = try ONNXImporter.load(data: data, path: "bad.onnx")
      try model.graph.verify()
    } catch {
      errors += 1
      #expect("\(error)".hasPrefix("bad.onnx: "), "trial \(trial): \(error)")
    }
  }
  // A header overwritten with 0xFF is never a model.
  var header = original
  header.replaceSubrange(0..<min(16, header.count), with: [UInt8](repeating: 0xFF, count: 16))
  #expect(loadError(header)?.contains("not an ONNX model") == true)
}
