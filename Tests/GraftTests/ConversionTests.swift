import Foundation
import Graft
import GraftONNX
import Testing

/// A fresh path for an exported model in a temporary folder of its own.
private func temporaryModelPath(_ name: String = "model.onnx") throws -> String {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "graft-convert-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  return folder.appendingPathComponent(name).path
}

/// Runs `graph` on `inputs` and checks each output against the fixture's reference outputs.
private func expectReferenceOutputs(
  _ graph: Graph, inputs: [String: Tensor], fixture: ConversionFixture, _ label: String
) throws {
  let results = try Session(graph: graph, threads: 2).run(inputs)
  let references = try fixture.referenceOutputs(count: graph.outputs.count)
  for (output, reference) in zip(graph.outputs, references) {
    let value = try #require(results[output.name], "\(label): no output '\(output.name)'")
    let difference = value.difference(from: reference)
    #expect(
      value.matches(reference),
      "\(label) output '\(output.name)': max |diff| \(String(describing: difference))")
  }
}

/// Every fixture converts at the default opset, the oldest and the newest, with every pass on,
/// and the written file, read back, computes the reference outputs. Asked for an opset older than
/// its own, a model using an op meaning the older opset cannot express fails naming the opset
/// needed, and writes nothing.
@Test(arguments: ConversionFixture.all, [nil, 13, 21])
func convertedFixtureComputesTheReference(fixture: ConversionFixture, opset: Int?) throws {
  let path = try temporaryModelPath()
  let model = try fixture.load()
  let target = opset ?? defaultExportOpset(for: model)
  let options = ConversionOptions(export: ONNXExportOptions(opset: target))
  do {
    _ = try convertModel(model, to: path, options: options)
  } catch ONNXExportError.notExportable(_, let errors) where target < model.opsets[""] ?? 0 {
    for error in errors {
      #expect("\(error)".contains("or newer"), "\(fixture) at opset \(target): \(error)")
    }
    #expect(!FileManager.default.fileExists(atPath: path))
    return
  }
  let written = try ONNXImporter.load(contentsOf: path)
  #expect(written.opsets[""] == target)
  #expect(written.producerName == "graft")
  try expectReferenceOutputs(
    written.graph, inputs: try fixture.inputs(for: model.graph), fixture: fixture,
    "\(fixture) at opset \(target)")
}

/// Without optimisation, IR → ONNX → IR gives a graph that computes the reference outputs, and
/// writing that graph again gives it back exactly: the same inputs, outputs, nodes (name, op and
/// attributes, inputs, outputs) and constants, bit for bit. (The first trip may re-spell an op the
/// opset writes as several, such as Softmax with the pre-13 2-D coercion; the second may not.)
@Test(arguments: ConversionFixture.all)
func unoptimisedRoundTripIsAFixedPoint(fixture: ConversionFixture) throws {
  let options = ConversionOptions(export: ONNXExportOptions(opset: 21), passes: [])
  let firstPath = try temporaryModelPath()
  let source = try fixture.load()
  _ = try convertModel(source, to: firstPath, options: options)
  let first = try ONNXImporter.load(contentsOf: firstPath)
  try expectReferenceOutputs(
    first.graph, inputs: try fixture.inputs(for: source.graph), fixture: fixture,
    "\(fixture) after one round trip")
  let secondPath = try temporaryModelPath()
  _ = try convertModel(first, to: secondPath, options: options)
  expectSameGraph(try ONNXImporter.load(contentsOf: secondPath).graph, first.graph, "\(fixture)")
}

/// `actual` has `expected`'s inputs, outputs, nodes and constants exactly.
private func expectSameGraph(_ actual: Graph, _ expected: Graph, _ label: String) {
  #expect(actual.inputs == expected.inputs, "\(label): inputs")
  #expect(actual.outputs.map(\.name) == expected.outputs.map(\.name), "\(label): outputs")
  #expect(actual.nodes.count == expected.nodes.count, "\(label): node count")
  for (before, after) in zip(expected.nodes, actual.nodes) {
    #expect(after.name == before.name, "\(label): node \(before.name)")
    #expect(
      operatorsEqual(after.op, before.op),
      "\(label): node \(before.name): \(before.op) became \(after.op)")
    #expect(after.inputs == before.inputs, "\(label): node \(before.name) inputs")
    #expect(after.outputs == before.outputs, "\(label): node \(before.name) outputs")
  }
  #expect(Set(actual.constants.keys) == Set(expected.constants.keys), "\(label): constants")
  for (name, tensor) in expected.constants {
    guard let copy = actual.constants[name] else { continue }
    #expect(copy.dtype == tensor.dtype && copy.shape == tensor.shape, "\(label): \(name)")
    #expect(
      copy.buffer.withUnsafeBytes { a in tensor.buffer.withUnsafeBytes { b in a.elementsEqual(b) }
      },
      "\(label): constant \(name) bytes")
  }
}

/// Keras fixtures with image inputs take NCHW input with no Transpose under `inputsAsNCHW`, and
/// compute the reference outputs from the transposed inputs.
@Test(arguments: ConversionFixture.all.filter(\.isKeras))
func kerasInputsBecomeNCHW(fixture: ConversionFixture) throws {
  let path = try temporaryModelPath()
  let model = try fixture.load()
  let summary = try convertModel(
    model, to: path, options: ConversionOptions(inputsAsNCHW: true))
  let written = try ONNXImporter.load(contentsOf: path).graph
  var inputs = try fixture.inputs(for: model.graph)
  for (name, perm) in summary.permutedInputs { inputs[name] = inputs[name]?.permutingAxes(perm) }
  let inputNames = Set(written.inputs.map(\.name))
  let inputTransposes = written.nodes.filter {
    $0.opType == "Transpose" && $0.inputs.contains(where: inputNames.contains)
  }
  #expect(inputTransposes.isEmpty, "\(fixture): \(inputTransposes.map(\.name))")
  try expectReferenceOutputs(written, inputs: inputs, fixture: fixture, "\(fixture) NCHW")
}

/// Weights written to a data file beside the model read back the same.
@Test func externalDataRoundTrips() throws {
  let fixture = try #require(ConversionFixture.all.first { $0.name == "onnx/mlp" })
  let path = try temporaryModelPath()
  let model = try fixture.load()
  _ = try convertModel(
    model, to: path, options: ConversionOptions(export: ONNXExportOptions(externalData: .always)))
  #expect(FileManager.default.fileExists(atPath: path + ".data"))
  let written = try ONNXImporter.load(contentsOf: path)
  try expectReferenceOutputs(
    written.graph, inputs: try fixture.inputs(for: model.graph), fixture: fixture, "external")
}

/// An output folder that does not exist gives an error naming the file, and nothing is written.
@Test func unwritableDestinationLeavesNothing() throws {
  let fixture = try #require(ConversionFixture.all.first { $0.name == "onnx/mlp" })
  let folder = try temporaryModelPath("missing")
  let path = folder + "/model.onnx"
  #expect {
    try convertModel(try fixture.load(), to: path, options: ConversionOptions())
  } throws: { error in
    "\(error)".contains(path)
  }
  let parent = (folder as NSString).deletingLastPathComponent
  #expect(try FileManager.default.contentsOfDirectory(atPath: parent).isEmpty)
}

/// A node the opset cannot express fails the export with the node's name, and no file is left.
@Test func nodeTheOpsetCannotExpressLeavesNothing() throws {
  var graph = Graph(
    inputs: [
      ValueInfo(name: "x", type: ValueType(.float32, [.symbol("N"), .fixed(4)])),
      ValueInfo(name: "axes", type: ValueType(.int64, [.fixed(1)])),
    ],
    outputs: [ValueInfo(name: "y", type: .unknown)],
    nodes: [Node(name: "mean", op: ReduceMean(), inputs: ["x", "axes"], outputs: ["y"])])
  try graph.inferTypes()
  let path = try temporaryModelPath()
  #expect {
    try ONNXExporter.write(
      Model(graph: graph, format: .onnx), to: path,
      options: ONNXExportOptions(opset: 17))
  } throws: { error in
    "\(error)".contains("'mean'") && "\(error)".contains(path)
  }
  let folder = (path as NSString).deletingLastPathComponent
  #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
}
