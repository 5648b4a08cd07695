import Foundation
import Testing

private let fixtureNames: [String] = {
  let root = GraftBinary.repository.appendingPathComponent("fixtures/onnx")
  let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
  return names.sorted().filter {
    FileManager.default.fileExists(atPath: root.appendingPathComponent("\($0)/model.onnx").path)
  }
}()

/// `graft inspect` text and JSON for every fixture model equal their recorded snapshots
/// (`GRAFT_RECORD_SNAPSHOTS=1 swift test --filter inspectMatchesSnapshots` records them).
@Test(arguments: fixtureNames)
func inspectMatchesSnapshots(fixture: String) throws {
  let model = "fixtures/onnx/\(fixture)/model.onnx"
  let text = try GraftBinary.run(["inspect", model])
  #expect(text.status == 0, "\(text.stderr)")
  #expect(try matchesSnapshot(text.stdout, at: "fixtures/onnx/\(fixture)/inspect.txt"))
  let json = try GraftBinary.run(["inspect", model, "--json"])
  #expect(json.status == 0, "\(json.stderr)")
  #expect(try matchesSnapshot(json.stdout, at: "fixtures/onnx/\(fixture)/inspect.json"))
}

/// The JSON carries the documented keys, with real graph inputs only.
@Test(arguments: fixtureNames)
func inspectJSONHasDocumentedKeys(fixture: String) throws {
  let result = try GraftBinary.run(["inspect", "fixtures/onnx/\(fixture)/model.onnx", "--json"])
  let object = try #require(
    try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
  for key in [
    "format", "producer", "opsets", "inputs", "outputs", "ops", "parameters", "cut_points",
    "unsupported",
  ] {
    #expect(object[key] != nil, "missing key \(key)")
  }
  let inputs = try #require(object["inputs"] as? [[String: Any]])
  for input in inputs {
    #expect(input["name"] is String && input.keys.contains("dtype") && input.keys.contains("shape"))
  }
}

@Test func inspectOfAMissingFileFailsWithOneErrorLine() throws {
  let result = try GraftBinary.run(["inspect", "no/such/model.onnx"])
  #expect(result.status == 1)
  #expect(result.stdout.isEmpty)
  #expect(result.stderr == "error: no/such/model.onnx: cannot read the file: no such file\n")
}

@Test func inspectOfAnUnknownFormatSaysWhatItReads() throws {
  let result = try GraftBinary.run(["inspect", "Package.swift"])
  #expect(result.status == 1)
  #expect(result.stderr.hasPrefix("error: Package.swift: unrecognised model format"))
}

@Test func helpExplainsTheCommand() throws {
  let result = try GraftBinary.run(["inspect", "--help"])
  #expect(result.status == 0)
  #expect(result.stdout.contains("cut point"))
  #expect(result.stdout.contains("--json"))
}
