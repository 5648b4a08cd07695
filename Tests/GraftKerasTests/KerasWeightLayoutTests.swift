import Foundation
import GraftHDF5
import GraftIR
import Testing

@testable import GraftKeras

/// The architecture and model_weights group of a fixture's legacy full-model file.
private func legacyFile(_ folder: String) throws -> (KerasModelConfig, HDF5Group) {
  let root = try HDF5File(
    opening: kerasFixtureRoot.appendingPathComponent("\(folder)/model.h5").path
  ).root
  let architecture = try KerasArchitecture(fullModel: root)
  return (architecture.config, try root.group("model_weights"))
}

/// A nested model's weights (one group holding every nested layer's weights, trainable ones
/// first) are split by layer, each in Keras's order, with none left over.
@Test(arguments: ["nested/k2", "nested/k3"])
func nestedModelWeightsSplitByLayer(_ folder: String) throws {
  let (config, group) = try legacyFile(folder)
  let weights = try KerasLegacyWeights(group: group, config: config)
  #expect(weights.problems.isEmpty, "\(weights.problems)")
  let base = try #require(config.layers.first { $0.nestedModel != nil }?.name)
  let conv = try weights.weights(layer: [base, "Conv1"])
  #expect(conv.map(\.tensor.shape) == [[3, 3, 3, 16]])
  let bn = try weights.weights(layer: [base, "bn_Conv1"])
  #expect(
    bn.map { $0.name.split(separator: "/").last!.prefix { $0 != ":" } } == [
      "gamma", "beta", "moving_mean", "moving_variance",
    ])
  #expect(try weights.weights(layer: ["head"]).map(\.tensor.shape) == [[1280, 4], [4]])
}

/// Keras 3 keys layers by snake-cased class name, numbered in order.
@Test func kerasThreeKeys() {
  #expect(KerasVarsWeights.snakeCase("BatchNormalization") == "batch_normalization")
  #expect(KerasVarsWeights.snakeCase("Conv2D") == "conv2d")
  #expect(KerasVarsWeights.snakeCase("ReLU") == "re_lu")
  #expect(KerasVarsWeights.snakeCase("GlobalAveragePooling2D") == "global_average_pooling2d")
  var used: [String: Int] = [:]
  let keys = ["dense", "conv2d", "dense", "dense"].map { KerasVarsWeights.uniqueKey($0, &used) }
  #expect(keys == ["dense", "conv2d", "dense_1", "dense_2"])
}

/// Every layer of the Keras 3 format's fixtures finds its group, convolutional ones included.
@Test(arguments: ["weights_h5/k2", "weights_h5/k3"])
func kerasThreeLayoutHasNoProblems(_ folder: String) throws {
  let directory = kerasFixtureRoot.appendingPathComponent(folder)
  let architecture = try KerasArchitecture(
    configFile: directory.appendingPathComponent("config.json").path)
  let root = try HDF5File(opening: directory.appendingPathComponent("model.weights.h5").path).root
  let weights = try KerasVarsWeights(root: root, config: architecture.config)
  #expect(weights.problems.isEmpty, "\(weights.problems)")
  #expect(try weights.weights(layer: ["encoder", "enc2"]).map(\.tensor.shape) == [[8, 4], [4]])
}
