/// One output tensor of one call of a layer: Keras's `[layer, node_index, tensor_index]`.
public struct KerasTensorReference: Hashable, Sendable, CustomStringConvertible {
  public var layer: String
  public var node: Int
  public var tensor: Int

  public init(layer: String, node: Int = 0, tensor: Int = 0) {
    self.layer = layer
    self.node = node
    self.tensor = tensor
  }

  public var description: String { "\(layer)[\(node)][\(tensor)]" }
}

/// One layer of a model config: its class, name, `config` object and the inputs of each call.
public struct KerasLayerConfig: Sendable {
  public var className: String
  public var name: String
  public var config: JSONValue
  /// The inputs of each call (Keras's inbound nodes), in call order.
  public var calls: [[KerasTensorReference]]
  /// The keyword arguments of each call that are not tensors (e.g. TFOpLambda's `y: 3.0`): Keras
  /// 2's per-input `kwargs` dicts merged, or Keras 3's node `kwargs`. Empty when there are none.
  public var callKeywords: [[String: JSONValue]] = []
  /// Keras 3's positional arguments of each call as written (`args`): tensors as
  /// `__keras_tensor__` objects, constants as numbers (`keras.ops.add(x, 3.0)` is an `Add` whose
  /// args are `[x, 3.0]`). Empty for Keras 2 configs.
  public var callArguments: [[JSONValue]] = []
  /// For a model used as a layer (Functional, Model, Sequential): its own config.
  public var nestedModel: KerasModelConfig?
}

/// A Keras model's architecture, from `model_config` / `model.to_json()` / `config.json`, with
/// Sequential models written as the equivalent functional graph.
///
/// Reads both serialisations: Keras 2 (inbound nodes as `[[layer, node, tensor, kwargs], …]`) and
/// Keras 3 (inbound nodes as `{"args": […], "kwargs": {…}}` holding `__keras_tensor__` objects
/// with a `keras_history`); Sequential configs as a bare list of layers (Keras ≤ 2.1) or as
/// `{"layers": […]}` with or without an InputLayer.
public struct KerasModelConfig: Sendable {
  public static let modelClassNames: Set<String> = ["Functional", "Model", "Sequential"]

  public var className: String
  public var name: String
  public var layers: [KerasLayerConfig]
  public var inputs: [KerasTensorReference]
  public var outputs: [KerasTensorReference]

  /// Parses a `{"class_name": …, "config": …}` model description.
  public init(_ json: JSONValue) throws {
    guard let className = json["class_name"]?.string, let config = json["config"] else {
      throw KerasError.invalidModel("the model config has no class_name and config")
    }
    guard Self.modelClassNames.contains(className) else {
      throw KerasError.invalidModel(
        "the model is a '\(className)', not a Sequential or Functional model")
    }
    if className == "Sequential" {
      try self.init(sequential: config)
    } else {
      try self.init(functional: config, className: className)
    }
  }

  private init(functional config: JSONValue, className: String) throws {
    self.className = className
    name = config["name"]?.string ?? "model"
    guard let layerList = config["layers"]?.array else {
      throw KerasError.invalidModel("model '\(name)' has no layers list")
    }
    layers = try layerList.map { try Self.layer($0, inbound: true) }
    inputs = try Self.references(config["input_layers"], role: "input_layers", model: name)
    outputs = try Self.references(config["output_layers"], role: "output_layers", model: name)
    if layerList.contains(where: { $0["inbound_nodes"]?.array?.first?.array != nil }) {
      skipPrebuiltNodes()
    }
  }

  /// Keras 2 numbers the calls of a nested model that was built on its own Input from 1: its
  /// node 0 links that Input to its outputs and is left out of the config (tf-keras's
  /// `_should_skip_first_node`). Keras 3 numbers them from 0.
  private mutating func skipPrebuiltNodes() {
    let prebuilt = Set(
      layers.filter { $0.nestedModel?.layers.first?.className == "InputLayer" }.map(\.name))
    guard !prebuilt.isEmpty else { return }
    func shifted(_ reference: KerasTensorReference) -> KerasTensorReference {
      guard prebuilt.contains(reference.layer), reference.node > 0 else { return reference }
      return KerasTensorReference(
        layer: reference.layer, node: reference.node - 1, tensor: reference.tensor)
    }
    for index in layers.indices {
      layers[index].calls = layers[index].calls.map { $0.map(shifted) }
    }
    outputs = outputs.map(shifted)
  }

  private init(sequential config: JSONValue) throws {
    className = "Sequential"
    let layerList: [JSONValue]
    if let list = config.array {
      layerList = list
      name = "sequential"
    } else if let list = config["layers"]?.array {
      layerList = list
      name = config["name"]?.string ?? "sequential"
    } else {
      throw KerasError.invalidModel("the Sequential model has no layers list")
    }
    var parsed = try layerList.map { try Self.layer($0, inbound: false) }
    guard let first = parsed.first else {
      throw KerasError.invalidModel("the Sequential model '\(name)' has no layers")
    }
    if first.className != "InputLayer" {
      // Keras 2 records the input on the first layer (`batch_input_shape`); Keras 3 on the
      // model (`build_input_shape`).
      guard
        let shape = first.config["batch_input_shape"] ?? first.config["batch_shape"]
          ?? config["build_input_shape"]
      else {
        throw KerasError.invalidModel(
          "the Sequential model '\(name)' does not say its input shape (no InputLayer, "
            + "batch_input_shape or build_input_shape)")
      }
      let dtype = first.config["dtype"]?.string.map(JSONValue.string) ?? .string("float32")
      parsed.insert(
        KerasLayerConfig(
          className: "InputLayer", name: "\(first.name)_input",
          config: .object(["batch_shape": shape, "dtype": dtype]), calls: [], nestedModel: nil),
        at: 0)
    }
    for index in parsed.indices.dropFirst() {
      parsed[index].calls = [[KerasTensorReference(layer: parsed[index - 1].name)]]
    }
    layers = parsed
    inputs = [KerasTensorReference(layer: parsed[0].name)]
    outputs = [KerasTensorReference(layer: parsed[parsed.count - 1].name)]
  }

  private static func layer(_ json: JSONValue, inbound: Bool) throws -> KerasLayerConfig {
    guard let className = json["class_name"]?.string else {
      throw KerasError.invalidModel("a layer entry has no class_name")
    }
    let config = json["config"] ?? .object([:])
    guard let name = json["name"]?.string ?? config["name"]?.string else {
      throw KerasError.invalidModel("a '\(className)' layer has no name")
    }
    var calls: [[KerasTensorReference]] = []
    var keywords: [[String: JSONValue]] = []
    var arguments: [[JSONValue]] = []
    if inbound, let nodes = json["inbound_nodes"]?.array {
      calls = try nodes.map { node in
        var found: [KerasTensorReference] = []
        try collectReferences(node, into: &found, layer: name, className: className)
        if className == "TFOpLambda" {
          // tf-keras writes a TFOpLambda's further tensor arguments (`y` of `x + y`) as
          // `[layer, node, tensor]` inside the first argument's kwargs.
          for value in keywordArguments(node).sorted(by: { $0.key < $1.key }).map(\.value) {
            try collectReferences(value, into: &found, layer: name, className: className)
          }
        }
        return found
      }
      keywords = nodes.map(keywordArguments)
      arguments = nodes.map { $0["args"]?.array ?? [] }
    }
    let nested =
      modelClassNames.contains(className)
      ? try KerasModelConfig(.object(["class_name": .string(className), "config": config]))
      : nil
    var layer = KerasLayerConfig(
      className: className, name: name, config: config, calls: calls, nestedModel: nested)
    layer.callKeywords = keywords
    layer.callArguments = arguments
    return layer
  }

  /// The non-tensor keyword arguments of one inbound node: Keras 3's `kwargs` object, or the
  /// merged fourth elements of Keras 2's `[layer, node, tensor, kwargs]` entries.
  private static func keywordArguments(_ node: JSONValue) -> [String: JSONValue] {
    if let kwargs = node["kwargs"]?.object { return kwargs }
    var merged: [String: JSONValue] = [:]
    // A call on one tensor may be written as that tensor's entry alone (TFOpLambda).
    let entries = node.array?.first?.string != nil ? [node] : node.array ?? []
    for entry in entries {
      if let items = entry.array, items.count >= 4, let kwargs = items[3].object {
        merged.merge(kwargs) { first, _ in first }
      }
    }
    return merged
  }

  /// Appends the tensor references of one inbound node in argument order: Keras 2 lists of
  /// `[layer, node, tensor(, kwargs)]`, Keras 3 `__keras_tensor__` objects inside `args`.
  private static func collectReferences(
    _ json: JSONValue, into found: inout [KerasTensorReference], layer: String, className: String
  ) throws {
    switch json {
    case .array(let items):
      if items.count >= 3, let source = items[0].string, let node = items[1].int,
        let tensor = items[2].int
      {
        found.append(KerasTensorReference(layer: source, node: node, tensor: tensor))
      } else {
        for item in items {
          try collectReferences(item, into: &found, layer: layer, className: className)
        }
      }
    case .object(let members):
      if members["class_name"]?.string == "__keras_tensor__" {
        guard let history = members["config"]?["keras_history"]?.array, history.count == 3,
          let source = history[0].string, let node = history[1].int, let tensor = history[2].int
        else {
          throw KerasError.layer(
            name: layer, className: className, "an input tensor has no valid keras_history")
        }
        found.append(KerasTensorReference(layer: source, node: node, tensor: tensor))
      } else if let args = members["args"] {
        try collectReferences(args, into: &found, layer: layer, className: className)
      }
    default:
      break
    }
  }

  /// `input_layers` / `output_layers`: a list of `[layer, node, tensor]`, or a single one.
  private static func references(
    _ json: JSONValue?, role: String, model: String
  ) throws -> [KerasTensorReference] {
    guard let items = json?.array else {
      throw KerasError.invalidModel("model '\(model)' has no \(role)")
    }
    let entries = items.first?.string != nil ? [JSONValue.array(items)] : items
    return try entries.map { entry in
      guard let parts = entry.array, parts.count >= 3, let layer = parts[0].string,
        let node = parts[1].int, let tensor = parts[2].int
      else { throw KerasError.invalidModel("model '\(model)' has a malformed \(role) entry") }
      return KerasTensorReference(layer: layer, node: node, tensor: tensor)
    }
  }
}
