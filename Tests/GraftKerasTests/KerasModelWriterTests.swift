import Foundation
import GraftHDF5
import GraftIR
import GraftRuntime
import Testing

@testable import GraftKeras

private let repository = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

private func fixture(_ path: String) -> String { repository.appendingPathComponent(path).path }

/// A trunk file, the layer to cut at, the pooling, and the classes the writer adds before the
/// Dense layers.
struct AttachCase: CustomTestStringConvertible, Sendable {
  var trunk: String
  var layer: String
  var pool: FeaturePooling
  var added: [String]
  /// The layer's value in the trunk's graph when it is not the layer's name (a nested model's
  /// output is its inner output layer's).
  var valueName: String? = nil
  var testDescription: String { "\(trunk) at \(layer), \(pool.rawValue)" }
}

private let attachCases: [AttachCase] = [
  AttachCase(
    trunk: "fixtures/demo/trunk.h5", layer: "conv3", pool: .avg,
    added: ["GlobalAveragePooling2D"]),
  AttachCase(trunk: "fixtures/demo/trunk.h5", layer: "features", pool: .avg, added: []),
  AttachCase(trunk: "fixtures/demo/trunk.h5", layer: "pool", pool: .none, added: ["Flatten"]),
  AttachCase(
    trunk: "fixtures/keras/cnn/k2/model.h5", layer: "relu2", pool: .max,
    added: ["GlobalMaxPooling2D"]),
  AttachCase(
    trunk: "fixtures/keras/cnn/k2/model.h5", layer: "relu2", pool: .none,
    added: ["Flatten"]),
  AttachCase(
    trunk: "fixtures/keras/cnn/k3/model.h5", layer: "relu2", pool: .none,
    added: ["Flatten"]),
  AttachCase(
    trunk: "fixtures/keras/cnn/k3/model.h5", layer: "conv1", pool: .avg,
    added: ["GlobalAveragePooling2D"]),
  AttachCase(trunk: "fixtures/keras/mlp/k3/model.h5", layer: "fc2", pool: .avg, added: []),
  AttachCase(
    trunk: "fixtures/keras/text/k2/model.h5", layer: "conv", pool: .avg,
    added: ["GlobalAveragePooling1D"]),
  AttachCase(
    trunk: "fixtures/keras/text/k3/model.h5", layer: "embed", pool: .max,
    added: ["GlobalMaxPooling1D"]),
  AttachCase(trunk: "fixtures/keras/resnet/k2/model.h5", layer: "gmp", pool: .avg, added: []),
  AttachCase(trunk: "fixtures/keras/resnet/k3/model.h5", layer: "gmp", pool: .avg, added: []),
  AttachCase(
    trunk: "fixtures/keras/resnet/k2/model.h5", layer: "block_out", pool: .max,
    added: ["GlobalMaxPooling2D"]),
  AttachCase(
    trunk: "fixtures/keras/resnet/k3/model.h5", layer: "shared_conv", pool: .none,
    added: ["Flatten"]),
  AttachCase(trunk: "fixtures/keras/nested/k2/model.h5", layer: "pool", pool: .avg, added: []),
  AttachCase(
    trunk: "fixtures/keras/nested/k3/model.h5", layer: "mobilenetv2_0.35_32",
    pool: .avg, added: ["GlobalAveragePooling2D"], valueName: "mobilenetv2_0.35_32/out_relu"),
]

/// A seeded head: a hidden Dense layer (relu) of 5 units, then 3 classes (softmax).
private func seededHead(inputs: Int, seed: UInt64) -> [KerasDenseLayer] {
  var random = SplitMix64(seed: seed)
  func tensor(_ shape: [Int]) -> Tensor {
    Tensor(
      (0..<shape.reduce(1, *)).map { _ in Float.random(in: -1...1, using: &random) },
      shape: shape)
  }
  return [
    KerasDenseLayer(kernel: tensor([inputs, 5]), bias: tensor([5]), activation: .relu),
    KerasDenseLayer(kernel: tensor([5, 3]), bias: tensor([3]), activation: .softmax),
  ]
}

/// `head` applied to the rows of `features` (`[N, …]`, flattened) in double precision.
private func applyByHand(_ head: [KerasDenseLayer], to features: Tensor) -> Tensor {
  let rows = features.shape[0]
  var current = features.doubles()
  var width = current.count / rows
  for layer in head {
    let (kernel, bias, units) = (layer.kernel.doubles(), layer.bias.doubles(), layer.units)
    var next = [Double](repeating: 0, count: rows * units)
    for row in 0..<rows {
      for unit in 0..<units {
        var sum = bias[unit]
        for input in 0..<width {
          sum += current[row * width + input] * kernel[input * units + unit]
        }
        next[row * units + unit] = layer.activation == .relu ? max(0, sum) : sum
      }
      if layer.activation == .softmax {
        let slice = next[(row * units)..<(row * units + units)]
        let top = slice.max()!
        let total = slice.map { exp($0 - top) }.reduce(0, +)
        for unit in 0..<units {
          next[row * units + unit] = exp(next[row * units + unit] - top) / total
        }
      }
    }
    (current, width) = (next, units)
  }
  return Tensor(current.map(Float.init), shape: [rows, width])
}

/// Seeded inputs for `graph`, two rows: floats in −1…1, token ids in 0..<8.
private func seededInputs(_ graph: Graph, seed: UInt64) -> [String: Tensor] {
  var random = SplitMix64(seed: seed)
  var inputs: [String: Tensor] = [:]
  for input in graph.inputs {
    let shape = [2] + (input.type.shape ?? []).dropFirst().map { $0.value ?? 1 }
    let count = shape.reduce(1, *)
    inputs[input.name] =
      input.type.dtype == .int32
      ? Tensor((0..<count).map { _ in Int32.random(in: 0..<8, using: &random) }, shape: shape)
      : Tensor((0..<count).map { _ in Float.random(in: -1...1, using: &random) }, shape: shape)
  }
  return inputs
}

private func temporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("graft-keras-writer-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// The written model, re-imported and run, equals the trunk's feature trunk then the head
/// computed by hand; it adds the expected layers and lists them last.
@Test(arguments: attachCases)
func attachedKerasModelComputesTrunkThenHead(_ testCase: AttachCase) throws {
  let directory = try temporaryDirectory()
  defer { try? FileManager.default.removeItem(at: directory) }
  let trunkPath = fixture(testCase.trunk)
  let trunk = try KerasImporter.load(contentsOf: trunkPath)
  let features = try trunk.graph.featureTrunk(
    layers: [testCase.valueName ?? testCase.layer], pool: testCase.pool, channelsLast: true)
  let width = (features.outputs[0].type.shape ?? []).dropFirst().reduce(1) { $0 * $1.value! }
  let head = seededHead(inputs: width, seed: 7)
  let output = directory.appendingPathComponent("attached.h5").path
  try KerasModelWriter.writeAttached(
    trunk: trunkPath, cutAt: testCase.layer, pooling: testCase.pool, head: head, to: output)

  let attached = try KerasImporter.load(contentsOf: output)
  #expect(attached.graph.outputs.count == 1)
  let inputs = seededInputs(trunk.graph, seed: 11)
  let needed = inputs.filter { name, _ in attached.graph.inputs.contains { $0.name == name } }
  #expect(needed.count == attached.graph.inputs.count)
  let result = try Session(graph: attached.graph, threads: 1).run(needed)
  let trunkValues = try Session(graph: features, threads: 1).run(
    inputs.filter { name, _ in features.inputs.contains { $0.name == name } })
  expectMatch(
    result[attached.graph.outputs[0].name],
    applyByHand(head, to: trunkValues[features.outputs[0].name]!), testCase.testDescription)

  let written = try HDF5File(opening: output).root
  #expect(try !written.hasAttribute("training_config"))
  let config = try KerasModelConfig(
    JSONValue(parsing: Data(try written.stringAttribute("model_config").utf8)))
  let tail = config.layers.suffix(testCase.added.count + 2).map(\.className)
  #expect(tail == testCase.added + ["Dense", "Dense"])
  let names = try written.group("model_weights").splitStringArrayAttribute("layer_names")
  #expect(Array(names.suffix(2)) == Array(config.layers.suffix(2).map(\.name)))
}

/// Cutting at `none` flattens in the order extraction does: the Flatten layer's output equals
/// the extracted `none` features of the layer (channels last, row-major).
@Test func flattenOrderMatchesExtraction() throws {
  let directory = try temporaryDirectory()
  defer { try? FileManager.default.removeItem(at: directory) }
  let trunkPath = fixture("fixtures/keras/cnn/k3/model.h5")
  let trunk = try KerasImporter.load(contentsOf: trunkPath)
  let features = try trunk.graph.featureTrunk(layers: ["relu2"], pool: .none, channelsLast: true)
  let shape = features.outputs[0].type.shape!.dropFirst().map { $0.value! }
  #expect(shape.count == 3)
  // One Dense layer with an identity kernel and relu passes the vector through unchanged:
  // relu2's values are already non-negative.
  let width = shape.reduce(1, *)
  let identity = Tensor(
    (0..<width * width).map { Float($0 / width == $0 % width ? 1 : 0) }, shape: [width, width])
  let head = [
    KerasDenseLayer(
      kernel: identity, bias: Tensor([Float](repeating: 0, count: width), shape: [width]),
      activation: .relu)
  ]
  let output = directory.appendingPathComponent("flat.h5").path
  try KerasModelWriter.writeAttached(
    trunk: trunkPath, cutAt: "relu2", pooling: .none, head: head, to: output)
  let attached = try KerasImporter.load(contentsOf: output)
  let inputs = seededInputs(trunk.graph, seed: 3)
  let flat = try Session(graph: attached.graph, threads: 1).run(inputs)[
    attached.graph.outputs[0].name]
  let extracted = try Session(graph: features, threads: 1).run(inputs)[features.outputs[0].name]!
  expectMatch(flat, extracted.reshaped([2, width]), "Flatten against extraction")
}

/// The order computed for a whole functional model is the order Keras saved its layers in.
@Test(arguments: ["resnet/k2", "resnet/k3", "mobilenetv2/k2", "mobilenetv3/k3"])
func layerOrderIsKerasOrder(_ folder: String) throws {
  let root = try HDF5File(opening: fixture("fixtures/keras/\(folder)/model.h5")).root
  let config = try KerasModelConfig(
    JSONValue(parsing: Data(try root.stringAttribute("model_config").utf8)))
  let layers = Dictionary(uniqueKeysWithValues: config.layers.map { ($0.name, $0) })
  let order = kerasLayerOrder(
    outputs: config.outputs.map { KerasNode(layer: $0.layer, call: $0.node) }
  ) { node in
    layers[node.layer]!.className == "InputLayer"
      ? [] : layers[node.layer]!.calls[node.call].map { KerasNode(layer: $0.layer, call: $0.node) }
  }
  #expect(order == config.layers.map(\.name))
}

/// The Keras config text is written back as Python's json.dumps wrote it.
@Test func modelConfigTextRoundTrips() throws {
  for trunk in ["fixtures/demo/trunk.h5", "fixtures/keras/resnet/k3/model.h5"] {
    let text = try HDF5File(opening: fixture(trunk)).root.stringAttribute("model_config")
    #expect(try KerasJSON(parsing: text, source: "model_config").description == text)
  }
}

/// Each refusal names the trunk and what is wrong, and leaves no file behind.
@Test(arguments: [
  ("fixtures/demo/trunk.h5", "conv9", "has no layer 'conv9'"),
  ("fixtures/keras/nested/k3/model.h5", "block_1_expand", "inside the nested model"),
  ("fixtures/keras/weights_only/k2/weights.h5", "dense", "not a legacy full-model Keras .h5"),
  ("fixtures/keras/keras_archive/k3/model.keras", "dense", "is a .keras archive"),
  ("fixtures/demo/trunk.h5", "conv2", "gives 32 features per row after avg pooling, but"),
])
func attachRefusals(_ trunk: String, _ layer: String, _ message: String) throws {
  let directory = try temporaryDirectory()
  defer { try? FileManager.default.removeItem(at: directory) }
  let output = directory.appendingPathComponent("out.h5").path
  let head = seededHead(inputs: 7, seed: 1)
  let error = #expect(throws: KerasError.self) {
    try KerasModelWriter.writeAttached(
      trunk: fixture(trunk), cutAt: layer, pooling: .avg, head: head, to: output)
  }
  let text = error.map { "\($0)" } ?? ""
  #expect(text.contains(fixture(trunk)) && text.contains(message), "\(text)")
  #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
}
