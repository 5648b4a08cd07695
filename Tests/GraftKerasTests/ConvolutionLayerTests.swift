import Foundation
import GraftIR
import GraftRuntime
import Testing

@testable import GraftKeras

/// Zero weights of fixed shapes, by layer name.
private struct ZeroWeights: KerasWeightSource {
  let shapes: [String: [[Int]]]

  func weights(layer path: [String]) throws -> [(name: String, tensor: Tensor)] {
    (shapes[path.last ?? ""] ?? []).enumerated().map { index, shape in
      (
        "\(path.last ?? "")/\(index)",
        Tensor([Float](repeating: 0, count: shape.reduce(1, *)), shape: shape)
      )
    }
  }
}

/// A Sequential model: an input of `inputShape` (batch excluded) then one layer.
private func assemble(
  _ className: String, _ config: String, input inputShape: String = "7, 9, 3",
  weights: [[Int]] = []
) throws -> Graph {
  let json = """
    {"class_name": "Sequential", "config": {"name": "m", "layers": [
      {"class_name": "InputLayer", "config": {"name": "x", "batch_shape": [null, \(inputShape)]}},
      {"class_name": "\(className)", "config": {"name": "layer", \(config)}}]}}
    """
  let model = try KerasModelConfig(JSONValue(parsing: Data(json.utf8)))
  return try KerasModelAssembler.graph(
    model, weights: ZeroWeights(shapes: ["layer": weights]), kerasMajorVersion: 3)
}

/// The description of the error `body` throws, or "" when it throws none.
private func message(_ body: () throws -> Graph) -> String {
  do {
    _ = try body()
    return ""
  } catch {
    return "\(error)"
  }
}

@Test(arguments: [
  (
    "Conv2D",
    #""filters": 4, "kernel_size": [3, 3], "strides": [2, 2], "dilation_rate": [2, 2]"#,
    "TensorFlow does not run a dilated window with strides > 1"
  ),
  (
    "Conv2D", #""filters": 4, "kernel_size": [3, 3], "padding": "causal""#,
    "unsupported padding 'causal' (expected 'valid' or 'same')"
  ),
  (
    "Conv2D", #""filters": 4, "kernel_size": [3, 3], "groups": 2"#,
    "groups 2 should divide the 3 input channels and 4 filters"
  ),
  (
    "Conv2D", #""filters": 4, "kernel_size": [3, 3]"#,
    "has 0 weights; its kernel (weight 0) is missing"
  ),
  (
    "Conv1D", #""filters": 4, "kernel_size": [3]"#,
    "expects a rank-3 input, got [N, 3, 7, 9]"
  ),
  (
    "Conv2DTranspose", #""filters": 4, "kernel_size": [3, 3], "groups": 2"#,
    "groups other than 1 are not supported"
  ),
  (
    "Conv2DTranspose",
    #""filters": 4, "kernel_size": [3, 3], "strides": [2, 2], "output_padding": [2, 1]"#,
    "output_padding [2, 1] should be at least 0 and less than the strides"
  ),
  (
    "Conv2DTranspose", #""filters": 4, "kernel_size": [3, 3], "padding": "full""#,
    "unsupported padding 'full' (expected 'valid' or 'same')"
  ),
  (
    "UpSampling2D", #""size": [2, 2], "interpolation": "area""#,
    "unsupported interpolation 'area' (expected nearest or bilinear)"
  ),
  (
    "Cropping2D", #""cropping": [[3, 4], [0, 0]]"#,
    "cropping 3 + 4 leaves nothing of spatial axis 1 (size 7)"
  ),
  (
    "ZeroPadding2D", #""padding": [[1, 2, 3], [0, 0]]"#,
    "'padding' should be an int, 2 ints or 2 (begin, end) pairs"
  ),
  (
    "MaxPooling2D", #""pool_size": [2, 2], "data_format": "channels_middle""#,
    "unknown data_format 'channels_middle'"
  ),
])
func convolutionFamilyRefusesUnsupportedConfigs(
  className: String, config: String, expected: String
) {
  let error = message { try assemble(className, config) }
  #expect(error.contains("layer 'layer' (\(className))"), "\(error)")
  #expect(error.contains(expected), "\(error)")
}

@Test func convolutionKernelOfTheWrongShapeIsNamed() {
  let error = message {
    try assemble(
      "Conv2D", #""filters": 4, "kernel_size": [3, 3]"#, weights: [[3, 3, 4, 4], [4]])
  }
  #expect(
    error.contains("kernel 'layer/0' has shape [3, 3, 4, 4], expected [3, 3, 3, 4]"), "\(error)")
}

/// With unknown spatial sizes, `same` is left to `SAME_UPPER` and the model still runs: a
/// strided 4×4 convolution of a 7×9 map gives 4×5.
@Test func samePaddingWithUnknownSizesRuns() throws {
  let graph = try assemble(
    "Conv2D", #""filters": 2, "kernel_size": [4, 4], "strides": [2, 2], "padding": "same""#,
    input: "null, null, 3", weights: [[4, 4, 3, 2], [2]])
  let conv = try #require(graph.nodes.first { $0.op is Conv }?.op as? Conv)
  #expect(conv.autoPad == .sameUpper)
  let input = Tensor([Float](repeating: 1, count: 2 * 7 * 9 * 3), shape: [2, 7, 9, 3])
  let output = try Session(graph: graph, threads: 1).run(["x": input])
  #expect(output[graph.outputs[0].name]?.shape == [2, 4, 5, 2])
}

/// A channels_last convolutional network (the MobileNet-like fixture) transposes only its input:
/// every layer reads the channels-first value the previous one left, and the global pooling
/// hands the Dense head Keras's `[N, C]`.
@Test func channelsLastNetworkTransposesOnlyItsInput() throws {
  let folder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("fixtures/keras_layers/mobilenet_like_k3")
  let config = try KerasModelConfig(
    JSONValue(parsing: Data(contentsOf: folder.appendingPathComponent("config.json"))))
  let graph = try KerasModelAssembler.graph(
    config, weights: NPYWeightSource(folder: folder), kerasMajorVersion: 3)
  let transposes = graph.nodes.filter { $0.op is Transpose }
  #expect(transposes.count == 1)
  #expect(transposes.first?.inputs == graph.inputs.map(\.name))
  #expect(graph.nodes.filter { $0.op is Conv }.count == 5)
}

/// Configs without `strides` (hand-written or old files): a convolution steps by 1, a pooling by
/// its pool size.
@Test func stridesDefaultToOneForConvolutionsAndToThePoolSizeForPoolings() throws {
  let conv = try assemble(
    "Conv2D", #""filters": 2, "kernel_size": [3, 3]"#, weights: [[3, 3, 3, 2], [2]])
  #expect(conv.type(of: conv.outputs[0].name)?.shape == [.symbol("N"), 5, 7, 2])
  let pool = try assemble("MaxPooling2D", #""pool_size": [2, 3]"#)
  #expect(pool.type(of: pool.outputs[0].name)?.shape == [.symbol("N"), 3, 3, 3])
}
