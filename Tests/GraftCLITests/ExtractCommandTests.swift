import Foundation
import GraftData
import GraftIR
import Testing

/// A small Keras-made MobileNetV2 ([N, 32, 32, 3] input) and two of its cut points.
private let model = "fixtures/onnx/mobilenet_keras/model.onnx"
private let layers = ["mobilenetv2_small_1/out_relu_1/Relu6:0", "Identity:0"]

private func temporaryFolder() throws -> URL {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "graft-extract-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  return folder
}

/// A class-folder collection: `copies` classes, each holding every fixture image (good ones of
/// many kinds, and the corrupt ones that are skipped).
private func imageCollection(copies: Int) throws -> URL {
  let root = try temporaryFolder().appendingPathComponent("images")
  let images = GraftBinary.repository.appendingPathComponent("fixtures/images")
  let files = try FileManager.default.contentsOfDirectory(atPath: images.path)
    .filter { $0.hasSuffix(".jpg") || $0.hasSuffix(".png") }
  for copy in 0..<copies {
    let folder = root.appendingPathComponent("class_\(copy)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for file in files {
      try FileManager.default.copyItem(
        at: images.appendingPathComponent(file), to: folder.appendingPathComponent(file))
    }
  }
  return root
}

private func extractArguments(_ data: URL, _ output: URL, _ extra: [String] = []) -> [String] {
  ["extract", model, data.path, "--preset", "tf", "-o", output.path, "--threads", "1"]
    + layers.flatMap { ["--layer", $0] } + extra
}

/// Every dataset of two caches, equal element for element.
private func expectSameCache(_ path: String, as reference: String) throws {
  let (a, b) = (try FeatureCache(contentsOf: path), try FeatureCache(contentsOf: reference))
  #expect(a.rows == b.rows && a.provenance == b.provenance && a.labelColumns == b.labelColumns)
  for layer in layers {
    #expect(
      try a.features(layer, rows: 0..<a.rows).elements(as: Float.self)
        == b.features(layer, rows: 0..<b.rows).elements(as: Float.self), "\(layer)")
  }
  #expect(try a.ids(rows: 0..<a.rows) == b.ids(rows: 0..<b.rows))
  #expect(try a.labels(rows: 0..<a.rows) == b.labels(rows: 0..<b.rows))
  #expect(try a.skipped().map(\.id) == b.skipped().map(\.id))
}

/// A run killed with SIGKILL at several moments and resumed each time ends with exactly the
/// cache of an uninterrupted run: no row lost or written twice, skipped images included.
@Test func killedAndResumedRunEqualsAnUninterruptedOne() throws {
  let data = try imageCollection(copies: 8)
  let folder = try temporaryFolder()
  let whole = folder.appendingPathComponent("whole.h5")
  let started = Date()
  let reference = try GraftBinary.run(extractArguments(data, whole, ["--batch", "8"]))
  #expect(reference.status == 0, "\(reference.stderr)")
  let duration = Date().timeIntervalSince(started)

  let interrupted = folder.appendingPathComponent("interrupted.h5")
  var random = SplitMix64(seed: 6)
  var kills = 0
  for attempt in 0..<5 {
    // Each run is killed after 10–25 % of an uninterrupted run's time, start-up included.
    let delay = duration * (0.1 + 0.15 * Double(random.next() % 1000) / 1000)
    let killed = try GraftBinary.runKilled(
      extractArguments(data, interrupted, ["--batch", "8"] + (attempt > 0 ? ["--resume"] : [])),
      after: delay)
    if killed { kills += 1 } else { break }
    if FileManager.default.fileExists(atPath: interrupted.path + ".partial.progress") {
      let refused = try GraftBinary.run(extractArguments(data, interrupted, ["--batch", "8"]))
      #expect(refused.status == 1 && refused.stderr.contains("--resume"), "\(refused.stderr)")
    }
  }
  #expect(kills >= 3, "the run should have been killed mid-way several times")
  let resumed = try GraftBinary.run(
    extractArguments(data, interrupted, ["--batch", "8", "--resume", "--json"]))
  #expect(resumed.status == 0, "\(resumed.stderr)")
  try expectSameCache(interrupted.path, as: whole.path)
  let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
  #expect(leftovers == ["interrupted.h5", "whole.h5"])
}

/// Corrupt images are skipped and listed with their reasons, rows + skipped = inputs; with
/// --strict the first one stops the run, named, and nothing is written at the output.
@Test func corruptImagesAreSkippedOrFatalWithStrict() throws {
  let data = try imageCollection(copies: 1)
  let inputs = try FileManager.default.contentsOfDirectory(
    atPath: data.appendingPathComponent("class_0").path
  ).count
  let output = try temporaryFolder().appendingPathComponent("feats.h5")
  let result = try GraftBinary.run(extractArguments(data, output, ["--json", "--quiet"]))
  #expect(result.status == 0, "\(result.stderr)")
  #expect(result.stderr.isEmpty)
  let summary = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
  let (rows, skipped) = (summary?["rows"] as? Int ?? -1, summary?["skipped"] as? Int ?? -1)
  #expect(rows + skipped == inputs && skipped == 5)
  let cache = try FeatureCache(contentsOf: output.path)
  let skippedList = try cache.skipped()
  #expect(skippedList.map(\.id).contains("class_0/truncated.jpg"))
  #expect(skippedList.allSatisfy { !$0.reason.isEmpty })

  let strictOutput = output.deletingLastPathComponent().appendingPathComponent("strict.h5")
  let strict = try GraftBinary.run(extractArguments(data, strictOutput, ["--strict"]))
  #expect(strict.status == 1)
  #expect(strict.stderr.contains("error: 'class_0/bad_crc.png'"), "\(strict.stderr)")
  #expect(!FileManager.default.fileExists(atPath: strictOutput.path))
}

/// Bad DATA and options give one clear `error:` line and exit status 1.
@Test func badDataGivesClearErrors() throws {
  let folder = try temporaryFolder()
  let output = folder.appendingPathComponent("feats.h5")
  func expectError(_ data: String, _ extra: [String], _ message: String) throws {
    let result = try GraftBinary.run(
      extractArguments(URL(fileURLWithPath: data), output, extra))
    #expect(result.status != 0)
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: output.path))
  }
  try expectError(folder.appendingPathComponent("missing").path, [], "no such folder")
  let csv = folder.appendingPathComponent("list.csv")
  try "path,label\na.jpg,cat\nb.jpg\n".write(to: csv, atomically: true, encoding: .utf8)
  try expectError(csv.path, [], "row 3")
  let wrongShape = folder.appendingPathComponent("wrong_shape.npy").path
  try NPY.write(
    Tensor([Float](repeating: 0, count: 2 * 3 * 32 * 32), shape: [2, 3, 32, 32]), to: wrongShape)
  try expectError(wrongShape, [], "rows of shape [3, 32, 32]")
  let wrongType = folder.appendingPathComponent("wrong_type.npy").path
  try NPY.write(
    Tensor([Bool](repeating: false, count: 32 * 32 * 3), shape: [1, 32, 32, 3]), to: wrongType)
  try expectError(wrongType, [], "bool")
  try expectError(try imageCollection(copies: 1).path, ["--size", "48"], "48")
}

/// A partial cache is resumed only with the same preprocessing.
@Test func resumeRefusesAnotherPreprocessing() throws {
  let data = try imageCollection(copies: 4)
  let output = try temporaryFolder().appendingPathComponent("feats.h5")
  let progress = output.path + ".partial.progress"
  let killed = try GraftBinary.runKilled(
    extractArguments(data, output, ["--batch", "1"]), after: 60,
    when: { FileManager.default.fileExists(atPath: progress) })
  guard killed, FileManager.default.fileExists(atPath: progress) else {
    Issue.record("the run was not interrupted after its first batch")
    return
  }
  var arguments = extractArguments(data, output, ["--batch", "1", "--resume"])
  arguments[arguments.firstIndex(of: "tf")!] = "torch"
  let refused = try GraftBinary.run(arguments)
  #expect(refused.status == 1)
  #expect(refused.stderr.contains("another preprocessing"), "\(refused.stderr)")
}
