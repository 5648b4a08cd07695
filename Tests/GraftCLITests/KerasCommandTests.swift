import Foundation
import GraftData
import Testing

/// `graft inspect` on a Keras file shows its format, Keras version and layer names as cut points.
@Test func inspectShowsKerasFormatAndLayers() throws {
  let result = try GraftBinary.run(["inspect", "fixtures/keras/mlp/k3/model.h5"])
  #expect(result.status == 0, "\(result.stderr)")
  #expect(result.stdout.contains("keras-h5 model"))
  #expect(result.stdout.contains("Keras:      Keras 3 (full-model-h5, backend tensorflow)"))
  for layer in ["fc1", "fc2", "probs"] {
    #expect(result.stdout.contains(" \(layer) "), "cut point \(layer)")
  }
}

/// A Keras layer held channels-first is listed under its own name with Keras's NHWC shape.
@Test func inspectListsKerasShapesOfChannelsLastLayers() throws {
  let result = try GraftBinary.run(["inspect", "fixtures/keras/cnn/k2/model.h5", "--json"])
  #expect(result.status == 0, "\(result.stderr)")
  let object = try #require(
    try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
  let cuts = try #require(object["cut_points"] as? [[String: Any]])
  let conv = try #require(cuts.first { $0["name"] as? String == "conv1" })
  #expect(conv["shape"] as? [AnyHashable] == ["N", 8, 8, 4])
  let flatten = try #require(cuts.first { $0["name"] as? String == "flatten" })
  #expect(flatten["shape"] as? [AnyHashable] == ["N", 96])
}

/// A weights-only file needs --config, and runs with it.
@Test func runTakesConfigForWeightsOnlyFiles() throws {
  let folder = "fixtures/keras/weights_only/k2"
  let missing = try GraftBinary.run(["inspect", "\(folder)/weights.h5"])
  #expect(missing.status == 1)
  #expect(missing.stderr.contains("--config"))
  let output = FileManager.default.temporaryDirectory.appendingPathComponent(
    "graft-keras-run-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: output) }
  let cuts = try JSONSerialization.jsonObject(
    with: Data(contentsOf: GraftBinary.repository.appendingPathComponent("\(folder)/cuts.json")))
  let cut = try #require((cuts as? [String])?.first)
  let result = try GraftBinary.run([
    "run", "\(folder)/weights.h5", "--config", "\(folder)/arch.json", "-i",
    "\(folder)/input_0.npy", "--output", cut, "-o", output.path,
  ])
  #expect(result.status == 0, "\(result.stderr)")
  let actual = try NPY.read(contentsOf: output.appendingPathComponent("\(cut).npy").path)
  let expected = try NPY.read(
    contentsOf: GraftBinary.repository.appendingPathComponent("\(folder)/cut_0.npy").path)
  #expect(actual.matches(expected))
}

/// `graft run --output <layer>` on a convolutional Keras model returns Keras's NHWC array.
@Test func runCutsAtKerasLayerInKerasLayout() throws {
  let folder = "fixtures/keras/cnn/k3"
  let output = FileManager.default.temporaryDirectory.appendingPathComponent(
    "graft-keras-run-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: output) }
  let result = try GraftBinary.run([
    "run", "\(folder)/model.h5", "-i", "\(folder)/input_0.npy", "--output", "conv1", "-o",
    output.path,
  ])
  #expect(result.status == 0, "\(result.stderr)")
  let actual = try NPY.read(contentsOf: output.appendingPathComponent("conv1.npy").path)
  let expected = try NPY.read(
    contentsOf: GraftBinary.repository.appendingPathComponent("\(folder)/cut_0.npy").path)
  #expect(actual.matches(expected))
}
