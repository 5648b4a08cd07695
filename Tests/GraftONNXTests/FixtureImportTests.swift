import Foundation
import GraftIR
import Testing

@testable import GraftONNX

/// `types.json` beside a fixture: onnxruntime's concrete dtype and shape of every value for the
/// fixture's input batch (written by the fixture's generate.py).
private struct ReferenceTypes: Decodable {
  struct Value: Decodable {
    var dtype: String
    var shape: [Int]
  }
  var values: [String: Value]
  var inputs: [String]
  var outputs: [String]

  init(fixture: String) throws {
    let url = FixturePaths.onnxFolder(fixture).appendingPathComponent("types.json")
    self = try JSONDecoder().decode(ReferenceTypes.self, from: Data(contentsOf: url))
  }
}

/// Fixtures whose ops are all in the IR.
private let supportedFixtures = FixturePaths.onnxModels.filter { $0 != "unsupported_ops" }

@Test(arguments: supportedFixtures)
func fixtureImportsWithTheReferenceInterface(fixture: String) throws {
  let model = try ONNXImporter.load(contentsOf: FixturePaths.onnxModel(fixture))
  let reference = try ReferenceTypes(fixture: fixture)
  #expect(model.unsupportedOperators.isEmpty)
  #expect(model.graph.inputs.map(\.name) == reference.inputs)
  #expect(model.graph.outputs.map(\.name) == reference.outputs)
  try model.graph.verify()
}

/// With the batch bound to the reference input's size, every inferred type equals what
/// onnxruntime computed.
@Test(arguments: supportedFixtures)
func inferredTypesMatchOnnxRuntime(fixture: String) throws {
  let model = try ONNXImporter.load(contentsOf: FixturePaths.onnxModel(fixture))
  let reference = try ReferenceTypes(fixture: fixture)
  var symbols: [String: Int] = [:]
  for input in model.graph.inputs {
    let concrete = try #require(reference.values[input.name]).shape
    for (dim, size) in zip(input.type.shape ?? [], concrete) {
      if case .symbol(let name) = dim { symbols[name] = size }
    }
  }
  let bound = try model.graph.binding(symbols)
  var compared = 0
  for (name, expected) in reference.values.sorted(by: { $0.key < $1.key }) {
    guard let inferred = bound.type(of: name) else { continue }
    compared += 1
    #expect(inferred.dtype?.rawValue == expected.dtype, "\(fixture): dtype of '\(name)'")
    #expect(
      inferred.shape == expected.shape.map(Dim.fixed),
      "\(fixture): shape of '\(name)' is \(inferred), onnxruntime gives \(expected.shape)")
  }
  #expect(compared == reference.values.count, "\(fixture): values missing from the graph")
}

@Test func unsupportedOpsAreAllListedAndTheRestIsTyped() throws {
  let path = FixturePaths.onnxModel("unsupported_ops")
  let model = try ONNXImporter.load(contentsOf: path)
  let reports = model.unsupportedOperators
  #expect(reports.count >= 2)
  #expect {
    try model.requireSupported(path: path)
  } throws: { error in
    reports.allSatisfy { "\(error)".contains($0.opType) && "\(error)".contains($0.nodes[0]) }
  }
  let reference = try ReferenceTypes(fixture: "unsupported_ops")
  for input in reference.inputs {
    #expect(model.graph.type(of: input)?.dtype != nil)
  }
}
