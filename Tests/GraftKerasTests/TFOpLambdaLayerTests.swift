import Foundation
import GraftIR
import Testing

@testable import GraftKeras

/// Weights for no layer: the models below have none.
private struct NoWeights: KerasWeightSource {
  func weights(layer path: [String]) throws -> [(name: String, tensor: Tensor)] { [] }
}

/// A Keras 2 functional model: input `in` of shape `[N, 4, 3]`, then a TFOpLambda calling
/// `function` on it with the keyword arguments `keywords` (a JSON object).
private func model(_ function: String, keywords: String) throws -> KerasModelConfig {
  let json = """
    {"class_name": "Functional", "config": {"name": "model", "layers": [
      {"class_name": "InputLayer", "name": "in",
       "config": {"name": "in", "batch_input_shape": [null, 4, 3], "dtype": "float32"},
       "inbound_nodes": []},
      {"class_name": "TFOpLambda", "name": "op",
       "config": {"name": "op", "function": "\(function)"},
       "inbound_nodes": [[["in", 0, 0, \(keywords)]]]}],
     "input_layers": [["in", 0, 0]], "output_layers": [["op", 0, 0]]}}
    """
  return try KerasModelConfig(JSONValue(parsing: Data(json.utf8)))
}

private func assemblyError(_ config: KerasModelConfig) -> String? {
  do {
    _ = try KerasModelAssembler.graph(config, weights: NoWeights(), kerasMajorVersion: 2)
    return nil
  } catch {
    return "\(error)"
  }
}

/// Functions or arguments the converter cannot read are refused, naming the function.
@Test(arguments: [
  ("math.multiply", #"{"y": 2.0, "transpose": true}"#, "cannot read the argument(s) transpose"),
  ("math.add", #"{"y": [1.0, 2.0, 3.0]}"#, "math.add: cannot read the argument y = "),
  ("math.subtract", #"{"name": null}"#, "math.subtract: the argument 'y' is missing"),
  ("nn.silu", #"{"beta": 2.0}"#, "nn.silu: only beta 1 is supported"),
  ("nn.relu6", #"{"y": 1.0}"#, "nn.relu6: cannot read the argument(s) y"),
])
func tfOpLambdaRefuses(function: String, keywords: String, message: String) throws {
  let error = assemblyError(try model(function, keywords: keywords))
  #expect(error?.contains("layer 'op' (TFOpLambda): ") == true, "\(error ?? "no error")")
  #expect(error?.contains(message) == true, "\(error ?? "no error")")
}

/// An unknown function is listed with the other unsupported layers before assembly starts.
@Test func unknownTFOpLambdaFunctionIsListedAsUnsupported() throws {
  let error = assemblyError(try model("math.reduce_sum", keywords: #"{"axis": 1}"#))
  #expect(error?.contains("unsupported layers") == true, "\(error ?? "no error")")
  #expect(error?.contains("'op' (TFOpLambda math.reduce_sum)") == true, "\(error ?? "no error")")
}

/// A supported function with a scalar `y` assembles into one node on a scalar constant.
@Test func tfOpLambdaScalarIsOneNode() throws {
  let graph = try KerasModelAssembler.graph(
    try model("math.truediv", keywords: #"{"y": 4.0, "name": null}"#), weights: NoWeights(),
    kerasMajorVersion: 2)
  #expect(graph.nodes.map(\.op.opType) == ["Div"])
  let divisor = graph.constants[graph.nodes[0].inputs[1]]
  #expect(divisor?.shape == [])
  #expect(divisor?.elements(as: Float.self) == [4])
}

/// `supports` tells the functions read from the others (for listing unsupported layers early).
@Test func tfOpLambdaSupportsKnownFunctionsOnly() throws {
  let layers = try model("nn.relu", keywords: "{}").layers
  #expect(TFOpLambdaLayer.supports(layers[1]))
  #expect(!TFOpLambdaLayer.supports(try model("math.cumsum", keywords: "{}").layers[1]))
}
