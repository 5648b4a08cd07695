import Foundation
import GraftHDF5
import GraftIR

/// Weights in the Keras 3 layout (`.weights.h5`, and `model.weights.h5` inside a `.keras`
/// archive; tf-keras 2.13+ writes it too): `layers/<key>/vars/<i>` datasets, `<i>` the weight's
/// index in Keras's order, and a nested model's layers under `layers/<key>/layers/<key>/…`.
///
/// Keys are not layer names: Keras names each layer of `model.layers` (a Sequential's InputLayer
/// excluded) after its class in snake case, numbering repeats in order (`conv2d`, `conv2d_1`,
/// `re_lu`, `functional`), and loads by that key. Graft derives the keys from the architecture
/// the same way; every layer with weights whose group is missing, and every group with weights
/// that no layer claims, is listed in `problems`.
struct KerasVarsWeights: KerasWeightSource {
  private let root: HDF5Group
  /// The group of each layer, by layer path (enclosing models' names, then the layer's).
  private let groups: [[String]: String]
  private(set) var problems: [String] = []

  init(root: HDF5Group, config: KerasModelConfig) throws {
    self.root = root
    var groups: [[String]: String] = [:]
    var problems: [String] = []
    func visit(_ model: KerasModelConfig, path: [String], prefix: String) throws {
      var used: [String: Int] = [:]
      var claimed: Set<String> = []
      for layer in model.layers where layer.className != "InputLayer" {
        let key = Self.uniqueKey(Self.snakeCase(Self.pythonClass(layer.className)), &used)
        claimed.insert(key)
        let group = "\(prefix)layers/\(key)"
        if let nested = layer.nestedModel {
          try visit(nested, path: path + [layer.name], prefix: group + "/")
        } else {
          groups[path + [layer.name]] = group
          if KerasLegacyWeights.hasWeights(layer), try root.kind(of: "\(group)/vars") != .group {
            problems.append(
              "layer '\((path + [layer.name]).joined(separator: "/"))' (\(layer.className)) has "
                + "no weights in the file (no group '\(group)/vars')")
          }
        }
      }
      guard try root.kind(of: "\(prefix)layers") == .group else { return }
      for key in try root.group("\(prefix)layers").childNames() where !claimed.contains(key) {
        if try Self.holdsWeights(root, "\(prefix)layers/\(key)") {
          problems.append(
            "the weights in group '\(prefix)layers/\(key)' fit no layer of the architecture")
        }
      }
    }
    try visit(config, path: [], prefix: "")
    self.groups = groups
    self.problems = problems
  }

  func weights(layer path: [String]) throws -> [(name: String, tensor: Tensor)] {
    guard let group = groups[path], try root.kind(of: "\(group)/vars") == .group else { return [] }
    let vars = try root.group("\(group)/vars")
    let indices = try vars.childNames().compactMap { Int($0) }.sorted()
    guard indices == Array(indices.indices) else {
      throw KerasError.invalidModel(
        "'\(group)/vars' should hold datasets 0…\(indices.count - 1), has \(indices)")
    }
    return try indices.map { index in
      ("\(group)/vars/\(index)", try vars.dataset("\(index)").readTensor())
    }
  }

  /// Whether the group at `path` has a non-empty `vars` group, itself or in a nested layer.
  static func holdsWeights(_ root: HDF5Group, _ path: String) throws -> Bool {
    if try root.kind(of: "\(path)/vars") == .group,
      try !root.group("\(path)/vars").childNames().isEmpty
    {
      return true
    }
    guard try root.kind(of: "\(path)/layers") == .group else { return false }
    for child in try root.group("\(path)/layers").childNames() {
      if try holdsWeights(root, "\(path)/layers/\(child)") { return true }
    }
    return false
  }

  /// The Python class behind a config class name: Keras 2 files may say `Model` for a
  /// functional model.
  static func pythonClass(_ className: String) -> String {
    className == "Model" ? "Functional" : className
  }

  /// Keras's `to_snake_case`: drops non-word characters, then splits `Aa` words and `aA`
  /// boundaries with `_` and lowercases (`BatchNormalization` → `batch_normalization`,
  /// `Conv2D` → `conv2d`, `ReLU` → `re_lu`).
  static func snakeCase(_ name: String) -> String {
    var result = name.replacingOccurrences(
      of: "[^A-Za-z0-9_]+", with: "", options: .regularExpression)
    result = result.replacingOccurrences(
      of: "(.)([A-Z][a-z]+)", with: "$1_$2", options: .regularExpression)
    result = result.replacingOccurrences(
      of: "([a-z])([A-Z])", with: "$1_$2", options: .regularExpression)
    return result.lowercased()
  }

  /// `name`, then `name_1`, `name_2`, … for repeats (Keras's `_get_unique_name`).
  static func uniqueKey(_ name: String, _ used: inout [String: Int]) -> String {
    guard let count = used[name] else {
      used[name] = 0
      return name
    }
    used[name] = count + 1
    return "\(name)_\(count + 1)"
  }
}
