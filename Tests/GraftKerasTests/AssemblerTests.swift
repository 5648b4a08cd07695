import Foundation
import GraftIR
import GraftRuntime
import Testing

@testable import GraftKeras

/// Weights from a dictionary keyed by layer name.
private struct FixedWeights: KerasWeightSource {
  let byLayer: [String: [Tensor]]
  func weights(layer path: [String]) throws -> [(name: String, tensor: Tensor)] {
    (byLayer[path.joined(separator: "/")] ?? []).enumerated().map { ("\(path.last!)/\($0)", $1) }
  }
}

private let twoDense = """
  {"class_name": "Sequential", "config": {"name": "s", "layers": [
    {"class_name": "InputLayer", "config": {"name": "x", "batch_shape": [null, 3]}},
    {"class_name": "Dense", "config": {"name": "a", "units": 4}},
    {"class_name": "Dense", "config": {"name": "b", "units": 2}}]}}
  """

@Test func everyMisshapenWeightIsListedInOneError() throws {
  let config = try KerasModelConfig(JSONValue(parsing: Data(twoDense.utf8)))
  let wrong = FixedWeights(byLayer: [
    "a": [
      Tensor([Float](repeating: 0, count: 8), shape: [2, 4]),
      Tensor([Float](repeating: 0, count: 4), shape: [4]),
    ],
    "b": [Tensor([Float](repeating: 0, count: 8), shape: [4, 2])],
  ])
  #expect {
    try KerasModelAssembler.graph(config, weights: wrong, kerasMajorVersion: 3)
  } throws: { error in
    let message = "\(error)"
    return message.contains("layer 'a' (Dense): kernel 'a/0' has shape [2, 4], expected [3, 4]")
      && message.contains("layer 'b' (Dense): has 1 weights; its bias (weight 1) is missing")
  }
}

@Test func keras2SequentialWithoutInputLayerReadsBatchInputShape() throws {
  let json = """
    {"class_name": "Sequential", "config": [
      {"class_name": "Dense", "config": {"name": "a", "units": 2, "batch_input_shape": [null, 3],
       "dtype": "float32", "activation": "relu"}}]}
    """
  let config = try KerasModelConfig(JSONValue(parsing: Data(json.utf8)))
  #expect(config.layers.map(\.className) == ["InputLayer", "Dense"])
  let graph = try KerasModelAssembler.graph(
    config,
    weights: FixedWeights(byLayer: [
      "a": [
        Tensor([Float](repeating: 1, count: 6), shape: [3, 2]), Tensor([Float(0), -9], shape: [2]),
      ]
    ]), kerasMajorVersion: 2)
  #expect(graph.inputs.map(\.name) == ["a_input"])
  #expect(graph.outputs.map(\.name) == ["a"])
  #expect(graph.type(of: "a") == ValueType(.float32, [.symbol("N"), .fixed(2)]))
}

@Test func keras3AddOfATensorAndANumberAddsTheNumber() throws {
  let json = """
    {"class_name": "Functional", "config": {"name": "f",
      "layers": [
        {"class_name": "InputLayer", "name": "x", "config": {"name": "x", "batch_shape": [null, 2]},
         "inbound_nodes": []},
        {"class_name": "Subtract", "name": "sub", "config": {"name": "sub"},
         "inbound_nodes": [{"args": [3.0, {"class_name": "__keras_tensor__",
           "config": {"keras_history": ["x", 0, 0]}}], "kwargs": {}}]}],
      "input_layers": [["x", 0, 0]], "output_layers": [["sub", 0, 0]]}}
    """
  let config = try KerasModelConfig(JSONValue(parsing: Data(json.utf8)))
  let graph = try KerasModelAssembler.graph(
    config, weights: FixedWeights(byLayer: [:]), kerasMajorVersion: 3)
  let node = try #require(graph.nodes.first { $0.outputs == ["sub"] })
  #expect(node.opType == "Sub")
  #expect(graph.constants[node.inputs[0]]?.elements(as: Float.self) == [3])
  #expect(node.inputs[1] == "x")
}

@Test func inceptionResNetScaleLayerAddsTheScaledResidual() throws {
  let json = """
    {"class_name": "Functional", "config": {"name": "f",
      "layers": [
        {"class_name": "InputLayer", "name": "x", "config": {"name": "x", "batch_shape": [null, 2]},
         "inbound_nodes": []},
        {"class_name": "InputLayer", "name": "r", "config": {"name": "r", "batch_shape": [null, 2]},
         "inbound_nodes": []},
        {"class_name": "Custom>CustomScaleLayer", "name": "block", "config": {"name": "block",
          "scale": 0.5}, "inbound_nodes": [[["x", 0, 0, {}], ["r", 0, 0, {}]]]}],
      "input_layers": [["x", 0, 0], ["r", 0, 0]], "output_layers": [["block", 0, 0]]}}
    """
  let config = try KerasModelConfig(JSONValue(parsing: Data(json.utf8)))
  let graph = try KerasModelAssembler.graph(
    config, weights: FixedWeights(byLayer: [:]), kerasMajorVersion: 2)
  let x = Tensor([Float(1), 2], shape: [1, 2])
  let r = Tensor([Float(4), -6], shape: [1, 2])
  let y = try Session(graph: graph, threads: 1).run(["x": x, "r": r])["block"]
  #expect(y?.elements(as: Float.self) == [3, -1])
}

/// A Lambda wrapped in TimeDistributed is listed with the plain Lambda, before any conversion.
@Test func wrappedLambdaIsListedWithTheOtherUnsupportedLayers() throws {
  let json = """
    {"class_name": "Sequential", "config": {"name": "s", "layers": [
      {"class_name": "InputLayer", "config": {"name": "x", "batch_shape": [null, 5, 3]}},
      {"class_name": "TimeDistributed", "config": {"name": "steps",
        "layer": {"class_name": "Lambda", "config": {"name": "inner", "function": "f"}}}},
      {"class_name": "TimeDistributed", "config": {"name": "dense",
        "layer": {"class_name": "Dense", "config": {"name": "d", "units": 2}}}},
      {"class_name": "Lambda", "config": {"name": "last", "function": "g"}}]}}
    """
  let config = try KerasModelConfig(JSONValue(parsing: Data(json.utf8)))
  #expect {
    try KerasModelAssembler.graph(config, weights: FixedWeights(byLayer: [:]), kerasMajorVersion: 3)
  } throws: { error in
    let message = "\(error)"
    return message.contains("'steps' (TimeDistributed(Lambda))")
      && message.contains("'last' (Lambda g)") && !message.contains("'dense'")
  }
}
