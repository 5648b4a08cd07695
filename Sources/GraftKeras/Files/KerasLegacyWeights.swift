import GraftHDF5
import GraftIR

/// Weights in Keras's legacy HDF5 layout: a group (a full model's `model_weights`, or the root of a
/// `save_weights` file) whose `layer_names` attribute lists the model's layers in order, with one
/// subgroup per layer whose `weight_names` attribute lists its weights in Keras's order, each a
/// dataset at that relative path (`dense/kernel:0` for Keras 2, `model/dense/kernel` for Keras 3).
///
/// A nested model is one entry of `layer_names`: its group lists the weights of all its layers
/// (trainable ones first), and each weight name holds the nested layer's name just before the
/// variable's (`conv1/kernel:0`, `base/conv1/kernel`), which is how they are told apart.
///
/// Layers are matched by name; the layers left over on both sides are then paired in order, as
/// Keras itself loads by order. Whatever still does not fit is listed in `problems`.
struct KerasLegacyWeights: KerasWeightSource {
  private let group: HDF5Group
  /// The file's layer group of each top-level layer of the architecture.
  private let fileLayers: [String: String]
  /// Every way the file does not fit the architecture, in words.
  private(set) var problems: [String] = []

  init(group: HDF5Group, config: KerasModelConfig) throws {
    self.group = group
    var weightNames: [(layer: String, weights: [String])] = []
    for name in try group.splitStringArrayAttribute("layer_names") {
      guard try group.kind(of: name) == .group else {
        problems.append("layer_names lists '\(name)' but the file has no group for it")
        continue
      }
      weightNames.append((name, try group.group(name).splitStringArrayAttribute("weight_names")))
    }
    let inFile = Set(weightNames.map(\.layer))
    let layers = config.layers.filter { $0.className != "InputLayer" }
    var matched: [String: String] = [:]
    for layer in layers where inFile.contains(layer.name) { matched[layer.name] = layer.name }
    let claimed = Set(matched.values)
    let spareFile = weightNames.filter { !$0.weights.isEmpty && !claimed.contains($0.layer) }
    let spareConfig = layers.filter { matched[$0.name] == nil && Self.hasWeights($0) }
    for (file, layer) in zip(spareFile, spareConfig) { matched[layer.name] = file.layer }
    for file in spareFile.dropFirst(spareConfig.count) {
      problems.append(
        "the weights of layer '\(file.layer)' (\(file.weights.joined(separator: ", "))) fit no "
          + "layer of the architecture")
    }
    for layer in spareConfig.dropFirst(spareFile.count) {
      problems.append("layer '\(layer.name)' (\(layer.className)) has no weights in the file")
    }
    fileLayers = matched
    let byLayer = Dictionary(weightNames.map { ($0.layer, $0.weights) }) { first, _ in first }
    for layer in layers {
      guard let file = matched[layer.name], let names = byLayer[file] else { continue }
      try check(names, of: layer, in: file)
    }
  }

  func weights(layer path: [String]) throws -> [(name: String, tensor: Tensor)] {
    guard let top = path.first, let file = fileLayers[top] else { return [] }
    let layerGroup = try group.group(file)
    var names = try layerGroup.splitStringArrayAttribute("weight_names")
    if path.count > 1 { names = Self.names(names, of: path[path.count - 1]) }
    return try names.map { ($0, try layerGroup.dataset($0).readTensor()) }
  }

  /// Records weights listed without a dataset and, for a nested model, weights that belong to
  /// none of its layers.
  private mutating func check(_ names: [String], of layer: KerasLayerConfig, in file: String)
    throws
  {
    let layerGroup = try group.group(file)
    for name in names {
      if try layerGroup.kind(of: name) != .dataset {
        problems.append("weight '\(name)' of layer '\(file)' is listed but has no dataset")
      }
    }
    guard let nested = layer.nestedModel else { return }
    var unclaimed = Set(names)
    for leaf in Self.leafLayers(of: nested) {
      unclaimed.subtract(Self.names(names, of: leaf))
    }
    if !unclaimed.isEmpty {
      problems.append(
        "weights " + names.filter(unclaimed.contains).map { "'\($0)'" }.joined(separator: ", ")
          + " of nested model '\(layer.name)' belong to none of its layers")
    }
  }

  /// The weights of the nested layer called `layer` among a nested model's `names`: those whose
  /// component before the variable's is the layer's name, else those naming it anywhere.
  static func names(_ names: [String], of layer: String) -> [String] {
    let components = names.map { $0.split(separator: "/").map(String.init) }
    let direct = zip(names, components).filter { $1.count >= 2 && $1[$1.count - 2] == layer }
    if !direct.isEmpty { return direct.map(\.0) }
    return zip(names, components).filter { $1.dropLast().contains(layer) }.map(\.0)
  }

  /// The names of the layers with weights inside a nested model, nested models flattened.
  static func leafLayers(of model: KerasModelConfig) -> [String] {
    model.layers.flatMap { layer in
      layer.nestedModel.map(leafLayers) ?? (layer.className == "InputLayer" ? [] : [layer.name])
    }
  }

  /// Whether a layer of this class always has weights in Keras: such layers take part in
  /// matching by order when their names are not in the file.
  static func hasWeights(_ layer: KerasLayerConfig) -> Bool {
    layer.nestedModel != nil || weightedClasses.contains(layer.className)
  }

  static let weightedClasses: Set<String> = [
    "Dense", "Conv1D", "Conv2D", "Conv3D", "Convolution1D", "Convolution2D", "Convolution3D",
    "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose", "DepthwiseConv1D",
    "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D", "BatchNormalization",
    "LayerNormalization", "GroupNormalization", "Normalization", "PReLU", "Embedding",
    "EinsumDense", "MultiHeadAttention", "LSTM", "GRU", "SimpleRNN", "Bidirectional",
    "ConvLSTM2D",
  ]
}
