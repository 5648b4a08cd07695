import Foundation
import GraftIR
import Testing

@testable import GraftKeras

/// Weights by layer name, for configs written in the test.
private struct FixedWeights: KerasWeightSource {
  var byLayer: [String: [Tensor]] = [:]

  func weights(layer path: [String]) throws -> [(name: String, tensor: Tensor)] {
    (byLayer[path.last ?? ""] ?? []).enumerated().map { ("\(path.last ?? "")/\($0)", $1) }
  }
}

private func ones(_ shape: [Int]) -> Tensor {
  Tensor([Float](repeating: 1, count: shape.reduce(1, *)), shape: shape)
}

/// A Sequential model: an input of `shape` (batch excluded), then `layer` (a JSON object).
private func sequential(input shape: [Int], dtype: String = "float32", _ layer: String) throws
  -> KerasModelConfig
{
  let dims = (["null"] + shape.map(String.init)).joined(separator: ", ")
  let json = """
    {"class_name": "Sequential", "config": {"name": "model", "layers": [
      {"class_name": "InputLayer", "config": {"name": "in", "batch_shape": [\(dims)],
       "dtype": "\(dtype)"}},
      \(layer)]}}
    """
  return try KerasModelConfig(JSONValue(parsing: Data(json.utf8)))
}

/// The message of the error assembling `config`, or nil when it assembles.
private func assemblyError(
  _ config: KerasModelConfig, weights: FixedWeights = FixedWeights(), keras: Int = 3
) -> String? {
  do {
    _ = try KerasModelAssembler.graph(config, weights: weights, kerasMajorVersion: keras)
    return nil
  } catch {
    return "\(error)"
  }
}

struct RefusedCase: CustomTestStringConvertible, Sendable {
  var label: String
  var input: [Int]
  var dtype = "float32"
  var layer: String
  var weights: [String: [Tensor]] = [:]
  var message: String

  var testDescription: String { label }
}

private let refused: [RefusedCase] = [
  RefusedCase(
    label: "RMS layer normalisation", input: [4, 3],
    layer: #"{"class_name": "LayerNormalization", "config": {"name": "ln", "rms_scaling": true}}"#,
    message: "layer 'ln' (LayerNormalization): rms_scaling=true (RMS normalisation) is not"),
  RefusedCase(
    label: "masked embedding", input: [5],
    layer: #"""
      {"class_name": "Embedding", "config": {"name": "emb", "input_dim": 10, "output_dim": 2,
       "mask_zero": true}}
      """#,
    weights: ["emb": [ones([10, 2])]],
    message: "layer 'emb' (Embedding): mask_zero=true is not supported"),
  RefusedCase(
    label: "batch normalisation over two axes", input: [4, 5, 3],
    layer: #"{"class_name": "BatchNormalization", "config": {"name": "bn", "axis": [1, 2]}}"#,
    message: "layer 'bn' (BatchNormalization): 'axis' names several axes [1, 2]"),
  RefusedCase(
    label: "softmax over two axes", input: [4, 3],
    layer: #"{"class_name": "Softmax", "config": {"name": "sm", "axis": [1, 2]}}"#,
    message: "layer 'sm' (Softmax): 'axis' names several axes [1, 2]"),
  RefusedCase(
    label: "axis out of range", input: [4, 3],
    layer: #"{"class_name": "Softmax", "config": {"name": "sm", "axis": 3}}"#,
    message: "layer 'sm' (Softmax): 'axis' should be axes of a rank-3 input, got"),
  RefusedCase(
    label: "permutation with a repeated axis", input: [4, 3],
    layer: #"{"class_name": "Permute", "config": {"name": "p", "dims": [1, 1]}}"#,
    message: "layer 'p' (Permute): 'dims' should order the axes 1…2"),
  RefusedCase(
    label: "unsupported wrapped layer", input: [3, 4],
    layer: #"""
      {"class_name": "TimeDistributed", "config": {"name": "td",
       "layer": {"class_name": "LSTM", "config": {"name": "lstm", "units": 2}}}}
      """#,
    message: "'td' (TimeDistributed(LSTM))"),
  RefusedCase(
    label: "time axis of unknown size", input: [],
    layer: #"""
      {"class_name": "TimeDistributed", "config": {"name": "td",
       "layer": {"class_name": "Flatten", "config": {"name": "f"}}}}
      """#,
    message: "layer 'td' (TimeDistributed): needs an input of rank ≥ 3 with a known time axis"),
  RefusedCase(
    label: "normalisation statistics of the wrong size", input: [4, 3],
    layer: #"""
      {"class_name": "Normalization", "config": {"name": "norm", "axis": [-1],
       "mean": [0.5, 1.5], "variance": [1, 2]}}
      """#,
    message: "layer 'norm' (Normalization): has 2 mean values for axes of shape [3]"),
  RefusedCase(
    label: "PReLU slope of the wrong shape", input: [4, 3],
    layer: #"{"class_name": "PReLU", "config": {"name": "prelu", "shared_axes": [1]}}"#,
    weights: ["prelu": [ones([4, 3])]],
    message: "layer 'prelu' (PReLU): alpha 'prelu/0' has shape [4, 3], expected [1, 3]"),
  RefusedCase(
    label: "unsupported activation", input: [4],
    layer: #"{"class_name": "Activation", "config": {"name": "act", "activation": "sparsemax"}}"#,
    message: "layer 'act' (Activation): unsupported activation 'sparsemax'"),
  RefusedCase(
    label: "glu over an odd axis", input: [5],
    layer: #"{"class_name": "Activation", "config": {"name": "act", "activation": "glu"}}"#,
    message: "layer 'act' (Activation): glu needs a known, even size on the last axis"),
  RefusedCase(
    label: "negative ReLU maximum", input: [4],
    layer: #"{"class_name": "ReLU", "config": {"name": "relu", "max_value": -1.0}}"#,
    message: "layer 'relu' (ReLU): max_value -1.0 is negative"),
]

/// Options Graft cannot import exactly are refused with the layer and the reason.
@Test(arguments: refused)
func refusedLayerOption(_ item: RefusedCase) throws {
  let config = try sequential(input: item.input, dtype: item.dtype, item.layer)
  let message = assemblyError(config, weights: FixedWeights(byLayer: item.weights))
  #expect(message?.contains(item.message) == true, "\(message ?? "no error")")
}

/// Merges need enough inputs: Subtract takes exactly two.
@Test func subtractOfThreeIsRefused() throws {
  let json = #"""
    {"class_name": "Functional", "config": {"name": "m", "layers": [
      {"class_name": "InputLayer", "name": "a", "config": {"name": "a", "batch_shape": [null, 3]},
       "inbound_nodes": []},
      {"class_name": "Subtract", "name": "sub", "config": {"name": "sub"},
       "inbound_nodes": [[["a", 0, 0, {}], ["a", 0, 0, {}], ["a", 0, 0, {}]]]}],
      "input_layers": [["a", 0, 0]], "output_layers": [["sub", 0, 0]]}}
    """#
  let config = try KerasModelConfig(JSONValue(parsing: Data(json.utf8)))
  let message = assemblyError(config)
  #expect(message?.contains("layer 'sub' (Subtract): merges 3 inputs; it needs 2") == true)
}

/// Keras 2 and 3 differ on `hard_sigmoid`; the file's Keras version picks the formula.
@Test(arguments: [(2, Float(0.2)), (3, Float(1) / 6)])
func hardSigmoidFollowsKerasVersion(_ keras: Int, slope: Float) throws {
  let config = try sequential(
    input: [2],
    #"{"class_name": "Activation", "config": {"name": "act", "activation": "hard_sigmoid"}}"#)
  let graph = try KerasModelAssembler.graph(
    config, weights: FixedWeights(), kerasMajorVersion: keras)
  let op = graph.nodes.compactMap { $0.op as? HardSigmoid }.first
  #expect(op?.alpha == slope)
  #expect(op?.beta == 0.5)
}
