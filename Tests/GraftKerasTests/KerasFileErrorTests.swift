import Foundation
import GraftHDF5
import GraftIR
import Testing

@testable import GraftKeras

private func fixture(_ path: String) -> String {
  kerasFixtureRoot.appendingPathComponent(path).path
}

/// The message of the error loading `path` throws, or nil (recorded as an issue) if it loads.
private func loadError(
  _ path: String, config: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
) -> String? {
  do {
    _ = try KerasImporter.load(contentsOf: path, config: config)
    Issue.record("'\(path)' loaded without an error", sourceLocation: sourceLocation)
    return nil
  } catch {
    return "\(error)"
  }
}

/// A scratch folder deleted when the test ends.
private final class ScratchFolder {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "graft-keras-tests-\(UUID().uuidString)")
  init() throws {
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }
  deinit { try? FileManager.default.removeItem(at: url) }
  func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

@Test(arguments: ["k2", "k3"])
func lambdaLayerIsNamed(_ version: String) throws {
  let message = try #require(loadError(fixture("bad/\(version)/lambda.h5")))
  #expect(message.contains("lambda.h5"))
  #expect(message.contains("'double' (Lambda)"))
  #expect(message.contains("never runs Python code"))
}

@Test(arguments: ["k2", "k3"])
func customLayerIsNamed(_ version: String) throws {
  let message = try #require(loadError(fixture("bad/\(version)/custom.h5")))
  #expect(message.contains("custom.h5"))
  #expect(message.contains("'scale' (Fixture>Scale)"))
}

/// Every way the weights miss the architecture is in one error: fc2's weights left over and
/// fc3's kernel of the wrong shape.
@Test(arguments: ["k2", "k3"])
func weightsThatDoNotFitAreAllListed(_ version: String) throws {
  let message = try #require(
    loadError(
      fixture("bad/\(version)/mismatch_weights.h5"),
      config: fixture("bad/\(version)/mismatch_arch.json")))
  #expect(message.contains("mismatch_weights.h5"))
  #expect(message.contains("the weights do not fit the architecture"))
  #expect(message.contains("the weights of layer 'fc2'"))
  #expect(message.contains("layer 'fc3' (Dense)"))
  #expect(message.contains("has shape [5, 3], expected [6, 5]"))
}

@Test func theanoFileIsRefused() throws {
  let message = try #require(loadError(fixture("bad/k2/theano.h5")))
  #expect(message.contains("theano.h5"))
  #expect(message.contains("Theano backend"))
}

@Test(arguments: ["weights_only/k2/weights.h5", "weights_h5/k3/model.weights.h5"])
func weightsWithoutArchitectureAskForConfig(_ path: String) throws {
  let message = try #require(loadError(fixture(path)))
  #expect(message.contains(path))
  #expect(message.contains("no architecture (no model_config)"))
  #expect(message.contains("--config"))
}

@Test func fullModelRefusesConfig() throws {
  let message = try #require(
    loadError(fixture("mlp/k2/model.h5"), config: fixture("weights_only/k2/arch.json")))
  #expect(message.contains("its own architecture"))
}

@Test func notAKerasFile() throws {
  let scratch = try ScratchFolder()
  let text = scratch.path("notes.h5")
  try Data("just some text, long enough to look like something".utf8).write(
    to: URL(fileURLWithPath: text))
  let notHDF5 = try #require(loadError(text))
  #expect(notHDF5.contains("notes.h5"))
  #expect(notHDF5.contains("not an HDF5 file"))
  let features = scratch.path("features.h5")
  let file = try HDF5File(creating: features)
  _ = try file.root.createGroup("features")
  try file.close()
  let otherHDF5 = try #require(loadError(features))
  #expect(otherHDF5.contains("features.h5"))
  #expect(otherHDF5.contains("not a Keras model or weights file"))
  let json = try #require(loadError(fixture("weights_only/k2/arch.json")))
  #expect(json.contains("is a JSON architecture"))
}

/// The model files of every fixture, with the --config they need.
private let modelFiles: [(model: String, config: String?)] = {
  let manager = FileManager.default
  var files: [(String, String?)] = []
  for model in (try? manager.contentsOfDirectory(atPath: kerasFixtureRoot.path)) ?? [] {
    for version in ["k2", "k3"] {
      let folder = kerasFixtureRoot.appendingPathComponent("\(model)/\(version)")
      guard let data = try? Data(contentsOf: folder.appendingPathComponent("fixture.json")),
        let description = try? JSONValue(parsing: data), let file = description["model"]?.string
      else { continue }
      files.append(
        (
          folder.appendingPathComponent(file).path,
          description["config"]?.string.map { folder.appendingPathComponent($0).path }
        ))
    }
  }
  return files.sorted { $0.0 < $1.0 }
}()

/// Truncated copies of every fixture's model file (at several lengths) and copies with a damaged
/// header or damaged contents each give an error naming the copy, never a crash.
@Test(arguments: modelFiles.map(\.model))
func damagedCopiesGiveOneClearError(_ model: String) throws {
  let config = modelFiles.first { $0.model == model }?.config
  let original = try Data(contentsOf: URL(fileURLWithPath: model))
  let scratch = try ScratchFolder()
  let name = "damaged." + (model.hasSuffix(".keras") ? "keras" : "h5")
  var copies: [(String, Data)] = [0, 8, 100, original.count / 4, original.count / 2]
    .map { ("truncated to \($0) bytes", original.prefix($0)) }
  copies.append(("truncated by one byte", original.dropLast()))
  var header = original
  header.replaceSubrange(8..<48, with: [UInt8](repeating: 0xFF, count: 40))
  copies.append(("header overwritten", header))
  if model.hasSuffix(".keras") {
    var contents = original
    let middle = original.count / 2
    contents.replaceSubrange(middle..<middle + 64, with: [UInt8](repeating: 0x5A, count: 64))
    copies.append(("contents overwritten", contents))
  }
  for (damage, data) in copies {
    let path = scratch.path(name)
    try data.write(to: URL(fileURLWithPath: path))
    let message = loadError(path, config: config)
    #expect(message?.contains(name) == true, "\(model) \(damage): \(message ?? "")")
  }
}
