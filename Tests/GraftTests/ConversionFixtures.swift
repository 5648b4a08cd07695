import Foundation
import Graft

/// The committed model fixtures a conversion is checked on, with their inputs and reference
/// outputs (onnxruntime's for ONNX fixtures, Keras's for Keras fixtures).
struct ConversionFixture: CustomStringConvertible, Sendable {
  /// `onnx/<name>` or `keras/<model>/k2|k3`.
  let name: String
  let modelPath: String
  let configPath: String?

  static let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  var folder: URL { Self.repository.appendingPathComponent("fixtures/\(name)") }
  var description: String { name }
  var isKeras: Bool { name.hasPrefix("keras/") }

  /// Every ONNX fixture with reference outputs whose ops are all supported, and every Keras model
  /// fixture of both Keras versions.
  static let all: [ConversionFixture] = onnx + keras

  private static let onnx: [ConversionFixture] = folders(in: "onnx").compactMap { name in
    let folder = repository.appendingPathComponent("fixtures/onnx/\(name)")
    guard name != "unsupported_ops",
      FileManager.default.fileExists(atPath: folder.appendingPathComponent("output_0.npy").path)
    else { return nil }
    return ConversionFixture(
      name: "onnx/\(name)", modelPath: folder.appendingPathComponent("model.onnx").path,
      configPath: nil)
  }

  private static let keras: [ConversionFixture] = folders(in: "keras").flatMap { model in
    ["k2", "k3"].compactMap { version -> ConversionFixture? in
      let folder = repository.appendingPathComponent("fixtures/keras/\(model)/\(version)")
      guard let data = try? Data(contentsOf: folder.appendingPathComponent("fixture.json")),
        let description = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
        let file = description["model"] as? String
      else { return nil }
      return ConversionFixture(
        name: "keras/\(model)/\(version)", modelPath: folder.appendingPathComponent(file).path,
        configPath: (description["config"] as? String).map {
          folder.appendingPathComponent($0).path
        })
    }
  }

  private static func folders(in family: String) -> [String] {
    let root = repository.appendingPathComponent("fixtures/\(family)")
    return ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).sorted()
  }

  func load() throws -> Model { try loadModel(modelPath, config: configPath) }

  /// The inputs `input_<i>.npy` by graph input name, in the model's own interface.
  func inputs(for graph: Graph) throws -> [String: Tensor] {
    var inputs: [String: Tensor] = [:]
    for (index, input) in graph.inputs.enumerated() {
      inputs[input.name] = try NPY.read(
        contentsOf: folder.appendingPathComponent("input_\(index).npy").path)
    }
    return inputs
  }

  /// The reference outputs `output_<i>.npy`, in the graph's output order.
  func referenceOutputs(count: Int) throws -> [Tensor] {
    try (0..<count).map {
      try NPY.read(contentsOf: folder.appendingPathComponent("output_\($0).npy").path)
    }
  }
}
