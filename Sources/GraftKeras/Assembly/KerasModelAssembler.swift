import GraftIR

/// Where the assembler finds each layer's weights (a legacy `.h5`, a weights-only file, a Keras 3
/// `.weights.h5`).
public protocol KerasWeightSource {
  /// The weights of the layer at `path` (the names of the enclosing models, then the layer's), in
  /// Keras's order; empty for a layer without weights.
  func weights(layer path: [String]) throws -> [(name: String, tensor: Tensor)]
}

/// Turns a Keras model config and its weights into an IR graph.
///
/// Every call of every layer becomes IR nodes through its `KerasLayerConverter`; nested models
/// are inlined (their layers named `outer/inner`). Tensors keep the layout that suits them (see
/// `KerasLayout`), so a convolutional network has no Transpose except at its inputs and outputs;
/// each layer output held otherwise than in Keras's order gets an `InterfaceView` under the layer's
/// name. The graph's inputs and outputs are in Keras's layout.
public struct KerasModelAssembler {
  private var builder = KerasGraphBuilder()
  private let weights: any KerasWeightSource
  private let converters: [String: any KerasLayerConverter.Type]

  private let kerasMajorVersion: Int
  private let weightProblems = WeightProblems()

  /// - Parameter kerasMajorVersion: 2 or 3 (the file's `keras_version`): a few meanings changed
  ///   between them (`hard_sigmoid`).
  public static func graph(
    _ config: KerasModelConfig, weights: any KerasWeightSource, kerasMajorVersion: Int
  ) throws -> Graph {
    var assembler = KerasModelAssembler(weights: weights, kerasMajorVersion: kerasMajorVersion)
    try assembler.requireSupported(config)
    var graph = try assembler.assemble(config)
    guard assembler.weightProblems.messages.isEmpty else {
      throw KerasError.weightMismatch(assembler.weightProblems.messages)
    }
    graph.name = config.name
    try graph.inferTypes()
    return graph
  }

  private init(weights: any KerasWeightSource, kerasMajorVersion: Int) {
    self.weights = weights
    self.kerasMajorVersion = kerasMajorVersion
    var converters: [String: any KerasLayerConverter.Type] = [:]
    for converter in KerasLayers.all {
      for name in converter.classNames { converters[name] = converter }
    }
    self.converters = converters
  }

  /// Throws one error listing every layer without a converter (Lambda and custom layers).
  private func requireSupported(_ config: KerasModelConfig) throws {
    var unsupported: [(name: String, className: String)] = []
    func visit(_ model: KerasModelConfig, prefix: String) {
      for layer in model.layers {
        if let nested = layer.nestedModel {
          visit(nested, prefix: "\(prefix)\(layer.name)/")
        } else if layer.className != "InputLayer",
          !(converters[layer.className]?.supports(layer) ?? false)
        {
          let wrapped = layer.config["layer"]?["class_name"]?.string.map { "(\($0))" } ?? ""
          let function = layer.config["function"]?.string.map { " \($0)" } ?? ""
          unsupported.append(("\(prefix)\(layer.name)", layer.className + wrapped + function))
        }
      }
    }
    visit(config, prefix: "")
    guard unsupported.isEmpty else { throw KerasError.unsupportedLayers(unsupported) }
  }

  private mutating func assemble(_ config: KerasModelConfig) throws -> Graph {
    var bound: [KerasTensorReference: KerasTensor] = [:]
    for reference in config.inputs {
      guard let layer = config.layers.first(where: { $0.name == reference.layer }),
        layer.className == "InputLayer"
      else {
        throw KerasError.invalidModel("model input '\(reference.layer)' is not an InputLayer")
      }
      bound[reference] = builder.input(layer.name, type: try Self.inputType(layer))
    }
    let produced = try run(config, prefix: [], bound: bound)
    var graph = builder.graph
    graph.outputs = []
    for reference in config.outputs {
      guard let tensor = produced[reference] else {
        throw KerasError.invalidModel("model output \(reference) is never computed")
      }
      let name = Self.valueName(reference, prefix: [])
      if tensor.layout != .keras {
        if graph.type(of: name) == nil { try graph.materializeView(name) }
        graph.outputs.append(ValueInfo(name: name, type: .unknown))
      } else {
        graph.outputs.append(ValueInfo(name: tensor.value, type: .unknown))
      }
    }
    return graph
  }

  /// Runs every call of `model`'s layers once its inputs are known, in dependency order, and
  /// returns every tensor produced (by reference), inputs included.
  private mutating func run(
    _ model: KerasModelConfig, prefix: [String], bound: [KerasTensorReference: KerasTensor]
  ) throws -> [KerasTensorReference: KerasTensor] {
    var produced = bound
    var pending: [(layer: KerasLayerConfig, call: Int)] = model.layers.flatMap { layer in
      layer.calls.indices.map { (layer, $0) }
    }
    while !pending.isEmpty {
      let ready = pending.firstIndex { item in
        item.layer.calls[item.call].allSatisfy { produced[$0] != nil }
      }
      guard let ready else {
        let missing = pending.map { item in
          let absent = item.layer.calls[item.call].filter { produced[$0] == nil }
          return "'\(item.layer.name)' waits for "
            + absent.map(\.description).joined(separator: ", ")
        }
        throw KerasError.invalidModel(
          "model '\(model.name)' has calls whose inputs are never computed: "
            + missing.joined(separator: "; "))
      }
      let (layer, call) = pending.remove(at: ready)
      let inputs = layer.calls[call].map { produced[$0]! }
      let outputs = try self.call(layer, call: call, inputs: inputs, prefix: prefix)
      for (index, tensor) in outputs.enumerated() {
        produced[KerasTensorReference(layer: layer.name, node: call, tensor: index)] = tensor
      }
    }
    return produced
  }

  /// Converts one call and names its outputs after the layer.
  private mutating func call(
    _ layer: KerasLayerConfig, call: Int, inputs: [KerasTensor], prefix: [String]
  ) throws -> [KerasTensor] {
    let path = prefix + [layer.name]
    if let nested = layer.nestedModel {
      guard inputs.count == nested.inputs.count else {
        throw KerasError.layer(
          name: layer.name, className: layer.className,
          "is called on \(inputs.count) tensors but has \(nested.inputs.count) inputs")
      }
      let produced = try run(
        nested, prefix: path, bound: Dictionary(uniqueKeysWithValues: zip(nested.inputs, inputs)))
      return try nested.outputs.map { reference in
        guard let tensor = produced[reference] else {
          throw KerasError.invalidModel(
            "output \(reference) of nested model '\(layer.name)' is never computed")
        }
        return tensor
      }
    }
    guard let converter = converters[layer.className] else {
      throw KerasError.unsupportedLayers([(path.joined(separator: "/"), layer.className)])
    }
    builder.currentLayer = (path.joined(separator: "/"), layer.className)
    let base = Self.valueName(KerasTensorReference(layer: layer.name, node: call), prefix: prefix)
    var context = KerasLayerCall(
      layer: layer, inputs: inputs, weights: try weights.weights(layer: path), builder: builder,
      name: base, kerasMajorVersion: kerasMajorVersion, weightProblems: weightProblems)
    if call < layer.callKeywords.count { context.keywords = layer.callKeywords[call] }
    if call < layer.callArguments.count { context.arguments = layer.callArguments[call] }
    let outputs = try converter.convert(&context)
    builder = context.builder
    return outputs.enumerated().map { index, tensor in
      let name = Self.valueName(
        KerasTensorReference(layer: layer.name, node: call, tensor: index), prefix: prefix)
      var named = tensor
      if tensor.layout == .keras {
        named.value = builder.rename(tensor.value, to: name)
      } else {
        named.value = builder.rename(tensor.value, to: "\(name)/channels_first")
        builder.recordView(name, of: named)
      }
      return named
    }
  }

  /// `layer`, `layer:t` for output t > 0, `layer@k` for call k > 0, under `outer/` prefixes.
  static func valueName(_ reference: KerasTensorReference, prefix: [String]) -> String {
    var name = (prefix + [reference.layer]).joined(separator: "/")
    if reference.node > 0 { name += "@\(reference.node)" }
    if reference.tensor > 0 { name += ":\(reference.tensor)" }
    return name
  }

  /// An InputLayer's type: `batch_shape` (Keras 3) or `batch_input_shape` (Keras 2), with the
  /// batch dim symbolic (`N`) and the dtype from `dtype` (a string or a DTypePolicy).
  static func inputType(_ layer: KerasLayerConfig) throws -> ValueType {
    guard let dims = (layer.config["batch_shape"] ?? layer.config["batch_input_shape"])?.array
    else {
      throw KerasError.layer(name: layer.name, className: "InputLayer", "has no batch_shape")
    }
    let shape: [Dim] = dims.enumerated().map { axis, dim in
      if axis == 0 { return .symbol("N") }
      return dim.int.map(Dim.fixed) ?? .unknown
    }
    let dtypeName =
      layer.config["dtype"]?.string ?? layer.config["dtype"]?["config"]?["name"]?.string
    guard let dtype = DType(rawValue: dtypeName ?? "float32") else {
      throw KerasError.layer(
        name: layer.name, className: "InputLayer", "unsupported dtype '\(dtypeName ?? "")'")
    }
    return ValueType(dtype, shape)
  }
}
