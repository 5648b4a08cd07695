import Foundation
import GraftData
import GraftIR
import GraftRuntime
import Testing

@testable import GraftKeras

private let root = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("fixtures/keras_layers")

/// Every case folder of fixtures/keras_layers (see its common.py).
private let cases: [String] = {
  let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
  return names.filter {
    FileManager.default.fileExists(atPath: root.appendingPathComponent("\($0)/config.json").path)
  }.sorted()
}()

/// Weights saved as `weights/<layer path>/<i>.npy`.
struct NPYWeightSource: KerasWeightSource {
  let folder: URL

  func weights(layer path: [String]) throws -> [(name: String, tensor: Tensor)] {
    var directory = folder.appendingPathComponent("weights")
    for part in path { directory.appendPathComponent(part) }
    var result: [(String, Tensor)] = []
    var index = 0
    while true {
      let file = directory.appendingPathComponent("\(index).npy")
      guard FileManager.default.fileExists(atPath: file.path) else { return result }
      result.append(
        ("\(path.joined(separator: "/"))/\(index)", try NPY.read(contentsOf: file.path)))
      index += 1
    }
  }
}

private func load(_ folder: URL) throws -> (graph: Graph, meta: JSONValue) {
  let meta = try JSONValue(parsing: Data(contentsOf: folder.appendingPathComponent("meta.json")))
  let config = try KerasModelConfig(
    JSONValue(parsing: Data(contentsOf: folder.appendingPathComponent("config.json"))))
  let major = Int(meta["keras_version"]?.string?.prefix(1) ?? "3") ?? 3
  let graph = try KerasModelAssembler.graph(
    config, weights: NPYWeightSource(folder: folder), kerasMajorVersion: major)
  return (graph, meta)
}

/// Records an issue unless `actual` matches `expected` within the parity tolerance.
func expectMatch(_ actual: Tensor?, _ expected: Tensor, _ label: String) {
  guard let actual else {
    Issue.record("\(label): missing")
    return
  }
  guard let (worst, scale) = actual.difference(from: expected) else {
    Issue.record("\(label): shape \(actual.shape), expected \(expected.shape)")
    return
  }
  #expect(actual.matches(expected), "\(label): max abs difference \(worst), scale \(scale)")
}

/// Graft's outputs, and its values at the cut layers, equal Keras's on the case's batch.
@Test(arguments: cases)
func layerCaseMatchesKeras(_ name: String) throws {
  let folder = root.appendingPathComponent(name)
  let (graph, meta) = try load(folder)
  var inputs: [String: Tensor] = [:]
  for (index, input) in graph.inputs.enumerated() {
    inputs[input.name] = try NPY.read(
      contentsOf: folder.appendingPathComponent("input_\(index).npy").path)
  }
  let results = try Session(graph: graph, threads: 2).run(inputs)
  for (index, output) in graph.outputs.enumerated() {
    let expected = try NPY.read(
      contentsOf: folder.appendingPathComponent("output_\(index).npy").path)
    expectMatch(results[output.name], expected, "\(name) output '\(output.name)'")
  }
  let cuts = meta["cuts"]?.array?.compactMap(\.string) ?? []
  for (index, cut) in cuts.enumerated() {
    let session = try Session(graph: graph, outputs: [cut], threads: 2)
    let needed = inputs.filter { name, _ in session.graph.inputs.contains { $0.name == name } }
    let expected = try NPY.read(
      contentsOf: folder.appendingPathComponent("cut_\(index).npy").path)
    expectMatch(try session.run(needed)[cut], expected, "\(name) cut '\(cut)'")
  }
}
