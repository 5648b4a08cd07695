import GraftHDF5
import GraftIR

extension KerasAttachmentPlan {
  /// Writes the model to a new file at `path`: root attributes `model_config`,
  /// `keras_version`, `backend` and each of `metadata`; `model_weights` with the kept layers'
  /// groups copied from the trunk, a group per added layer, and `layer_names`.
  func write(to path: String, metadata: [String: String]) throws {
    let file = try HDF5File(creating: path, overwrite: true)
    let source = trunk.root
    let trunkWeights = try source.group("model_weights")
    try file.root.setAttribute("model_config", modelConfig.description)
    for name in ["keras_version", "backend"] where try source.hasAttribute(name) {
      try file.root.setAttribute(name, try source.stringAttribute(name))
    }
    for (name, value) in metadata.sorted(by: { $0.key < $1.key }) {
      try file.root.setAttribute(name, value)
    }
    let weights = try file.root.createGroup("model_weights")
    let variableLength = try Self.usesVariableLengthStrings(trunkWeights)
    for name in layerNames where !added.contains(where: { $0.name == name }) {
      try weights.copy(name, from: trunkWeights, to: name)
    }
    if try trunkWeights.kind(of: "top_level_model_weights") == .group {
      try weights.copy("top_level_model_weights", from: trunkWeights, to: "top_level_model_weights")
    }
    for layer in added {
      let group = try weights.createGroup(layer.name)
      let names = layer.weights.map { weightName(layer.name, $0.variable) }
      if names.isEmpty {
        // What Keras writes for a layer without weights: an empty float64 array.
        try group.setAttribute("weight_names", [Double]())
      } else {
        try Self.setStrings(group, "weight_names", names, variableLength: variableLength)
      }
      for (name, (_, tensor)) in zip(names, layer.weights) {
        _ = try group.createDataset(name, tensor: tensor)
      }
    }
    try Self.setStrings(weights, "layer_names", layerNames, variableLength: variableLength)
    for name in ["backend", "keras_version"] where try trunkWeights.hasAttribute(name) {
      try weights.setAttribute(name, try trunkWeights.stringAttribute(name))
    }
    try file.close()
  }

  /// A weight's name as the trunk's Keras writes it: `dense/kernel:0` (Keras 2), `dense/kernel`
  /// (Keras 3), under the model's name for a Keras 3 Sequential model (`model/dense/kernel`).
  private func weightName(_ layer: String, _ variable: String) -> String {
    guard keras3 else { return "\(layer)/\(variable):0" }
    let prefix = cut.config.className == "Sequential" ? "\(cut.config.name)/" : ""
    return "\(prefix)\(layer)/\(variable)"
  }

  /// Whether the trunk stores `layer_names` as variable-length strings (h5py's `str`), which
  /// the new file then uses too; else they are fixed-length, split as Keras splits them.
  private static func usesVariableLengthStrings(_ group: HDF5Group) throws -> Bool {
    guard try group.hasAttribute("layer_names") else { return false }
    return try group.attributeInfo("layer_names").elementType == .variableString
  }

  private static func setStrings(
    _ group: HDF5Group, _ name: String, _ values: [String], variableLength: Bool
  ) throws {
    if variableLength {
      try group.setAttribute(name, strings: values, storage: .variableLength)
    } else {
      try group.setSplitStringArrayAttribute(name, values)
    }
  }
}
