import Foundation
import GraftHDF5
import GraftIR

/// Writes Keras legacy full-model `.h5` files that tf-keras (Keras 2) and Keras 3 load with
/// `load_model(path, compile=False)`.
public enum KerasModelWriter {
  /// Writes a trunk cut at one of its layers, pooled, then a head of Dense layers, as one Keras
  /// model in the trunk's own Keras dialect.
  ///
  /// The model holds the layers the cut layer depends on (a Sequential trunk's layers up to it;
  /// a functional trunk's ancestors of its first call, other calls of shared layers dropped),
  /// then `GlobalAveragePooling{1,2,3}D` / `GlobalMaxPooling…` for `avg` / `max` (or `Flatten`
  /// for `none`; nothing when the layer's output is already a vector), then the Dense layers
  /// (`head_dense_0`, …, renamed where the trunk uses a name); its output is the last Dense
  /// layer's. The result computes what `Graph.featureTrunk(layers: [layer], pool: pooling,
  /// channelsLast: true)` followed by the Dense layers computes.
  ///
  /// The kept layers' weight groups are copied from the trunk byte for byte; the Dense weights
  /// are written as that Keras version names them (`dense/kernel:0` for Keras 2; `dense/kernel`,
  /// under the model's name in a Sequential model, for Keras 3). The root attributes are the
  /// trunk's, without `training_config` (the result is not compiled), plus `metadata` as string
  /// attributes (`KerasImporter` reads back those named `graft.…`). The file is written under
  /// a temporary name beside `output` and renamed into place, so a failure leaves nothing.
  ///
  /// - Parameters:
  ///   - trunk: a legacy full-model `.h5` (`model.save("m.h5")` of tf-keras or Keras 3).
  ///   - loaded: the trunk as `KerasImporter.load` reads it, when the caller has it already.
  ///   - layer: the name of a top-level layer of the trunk.
  ///   - head: the Dense layers, the first taking the pooled layer's width.
  ///   - metadata: root attributes to add, such as the head's description.
  ///   - output: the `.h5` file to write (replaced if it exists).
  /// - Throws: `KerasError.file` naming the trunk and the layer at fault: a weights-only file or
  ///   `.keras` archive, a missing layer or one inside a nested model, a width the head does not
  ///   take; `HDF5Error` when a file cannot be read or written.
  public static func writeAttached(
    trunk: String, loaded: Model? = nil, cutAt layer: String, pooling: FeaturePooling,
    head: [KerasDenseLayer], metadata: [String: String] = [:], to output: String
  ) throws {
    do {
      let plan = try KerasAttachmentPlan(
        trunk: trunk, loaded: loaded, cut: layer, pooling: pooling, head: head)
      try writeAtomically(to: output) { try plan.write(to: $0, metadata: metadata) }
    } catch let error as KerasError {
      if case .file = error { throw error }
      throw KerasError.file(path: trunk, error)
    }
  }
}

/// What `KerasModelWriter.writeAttached` writes: the trunk's file and config, the cut, the new
/// config and the added layers.
struct KerasAttachmentPlan {
  let trunk: HDF5File
  let keras3: Bool
  let cut: KerasTrunkCut
  let added: [KerasAddedLayer]
  /// The new `model_config`.
  let modelConfig: KerasJSON
  /// The layers listed in `model_weights`' `layer_names`, in order, added ones last.
  let layerNames: [String]

  init(
    trunk path: String, loaded: Model?, cut layer: String, pooling: FeaturePooling,
    head: [KerasDenseLayer]
  ) throws {
    let signature = try KerasFileSignature(path)
    if signature.isZip {
      throw KerasError.invalidModel(
        "is a .keras archive; Graft writes Keras .h5 models only from a legacy full-model .h5 "
          + "trunk: write .onnx instead")
    }
    trunk = try HDF5File(opening: path)
    let root = trunk.root
    guard try root.hasAttribute("model_config"), try root.kind(of: "model_weights") == .group
    else {
      throw KerasError.invalidModel(
        "is not a legacy full-model Keras .h5 (no model_config attribute and model_weights "
          + "group: weights only?); Graft writes Keras .h5 models only from a full-model trunk "
          + "(model.save(\"m.h5\")): write .onnx instead")
    }
    let model = try loaded ?? KerasImporter.load(contentsOf: path)
    let architecture = try KerasArchitecture(fullModel: root)
    keras3 = try architecture.kerasMajorVersion() >= 3
    let config = architecture.config
    cut = try KerasTrunkCut(config: config, cut: layer)
    let cutConfig = config.layers.first { $0.name == layer }!
    let cutShape = try Self.kerasShape(of: cutConfig, in: model.graph)
    let raw = try KerasJSON(
      parsing: try root.stringAttribute("model_config"), source: "model_config")
    let rawLayers = raw["config"]?["layers"]?.array ?? raw["config"]?.array ?? []
    let dtype = rawLayers.lazy.filter { $0["class_name"]?.string != "InputLayer" }
      .compactMap { $0["config"]?["dtype"] }.first
    added = try KerasAddedLayer.head(
      after: cutConfig, cutShape: cutShape, pooling: pooling, dense: head, dtype: dtype,
      taken: Self.names(in: config))
    let trunkNames = try root.group("model_weights").splitStringArrayAttribute("layer_names")
    if config.className == "Sequential" {
      modelConfig = try Self.sequential(raw, rawLayers, cut: layer, added: added)
      let kept = Set(cut.keptCalls.keys)
      layerNames = trunkNames.filter(kept.contains) + added.map(\.name)
    } else {
      modelConfig = try Self.functional(
        raw, rawLayers, cut: cut, cutShape: cutShape, added: added, keras3: keras3)
      let listed = Set(trunkNames)
      layerNames = cut.layerOrder.filter(listed.contains) + added.map(\.name)
    }
  }

  /// The Keras shape of the first output of `layer`'s first call (batch `nil`), from the
  /// trunk's graph; a nested model's output is its inner output layer's value.
  private static func kerasShape(of layer: KerasLayerConfig, in graph: Graph) throws -> [Int?] {
    var name = layer.name
    var current = layer
    while let nested = current.nestedModel, let output = nested.outputs.first,
      let inner = nested.layers.first(where: { $0.name == output.layer })
    {
      name += "/" + KerasModelAssembler.valueName(output, prefix: [])
      current = inner
    }
    let trunk: Graph
    do {
      trunk = try graph.featureTrunk(layers: [name], pool: .none, channelsLast: true)
    } catch {
      throw KerasError.layer(
        name: layer.name, className: layer.className, "cannot be cut at: \(error)")
    }
    return (trunk.outputs[0].type.shape ?? []).enumerated().map { $0 == 0 ? nil : $1.value }
  }

  /// Every layer name in `config` and its nested models, and the model names.
  private static func names(in config: KerasModelConfig) -> Set<String> {
    var names: Set<String> = [config.name]
    for layer in config.layers {
      names.insert(layer.name)
      if let nested = layer.nestedModel { names.formUnion(Self.names(in: nested)) }
    }
    return names
  }

  /// A Sequential config: its layers up to `cut`, then the added ones.
  private static func sequential(
    _ raw: KerasJSON, _ rawLayers: [KerasJSON], cut: String, added: [KerasAddedLayer]
  ) throws -> KerasJSON {
    guard let end = rawLayers.firstIndex(where: { $0["config"]?["name"]?.string == cut }) else {
      throw KerasError.invalidModel("has no layer '\(cut)' in its Sequential layers")
    }
    let layers = KerasJSON.array(
      Array(rawLayers[...end])
        + added.map { $0.entry(functionalInput: nil, inputShape: [], keras3: false) })
    var result = raw
    if raw["config"]?.array != nil {
      result["config"] = layers
    } else {
      result["config"]?["layers"] = layers
    }
    return result
  }

  /// A functional config: the cut's ancestor layers in Keras's order with their kept calls
  /// renumbered, then the added layers, each called on the one before.
  private static func functional(
    _ raw: KerasJSON, _ rawLayers: [KerasJSON], cut: KerasTrunkCut, cutShape: [Int?],
    added: [KerasAddedLayer], keras3: Bool
  ) throws -> KerasJSON {
    let config = cut.config
    // Keras 2 numbers the calls of a nested model built on its own Input from 1 (see
    // `KerasModelConfig`); the parsed config numbers them from 0.
    let listDialect = rawLayers.contains { $0["inbound_nodes"]?.array?.first?.array != nil }
    let offsets = Dictionary(
      config.layers.map { layer in
        let prebuilt = listDialect && layer.nestedModel?.layers.first?.className == "InputLayer"
        return (layer.name, prebuilt ? 1 : 0)
      }
    ) { first, _ in first }
    func renumber(_ json: KerasJSON) -> KerasJSON {
      switch json {
      case .array(var items):
        if (3...4).contains(items.count), let layer = items[0].string, let offset = offsets[layer],
          let node = items[1].int, items[2].int != nil, node >= offset
        {
          items[1] = .literal("\(offset + cut.renumbered(node - offset, of: layer))")
        }
        return .array(items.map(renumber))
      case .object(let members):
        return .object(members.map { ($0.key, renumber($0.value)) })
      default:
        return json
      }
    }
    var layers: [KerasJSON] = []
    for name in cut.layerOrder {
      guard let index = config.layers.firstIndex(where: { $0.name == name }),
        index < rawLayers.count
      else { throw KerasError.invalidModel("the model config has no entry for layer '\(name)'") }
      var entry = rawLayers[index]
      if let nodes = entry["inbound_nodes"]?.array {
        let kept = cut.keptCalls[name] ?? []
        entry["inbound_nodes"] = .array(
          nodes.indices.filter(kept.contains).map { renumber(nodes[$0]) })
      }
      layers.append(entry)
    }
    var input = KerasTensorReference(layer: cut.cutNode.layer, node: offsets[cut.cutNode.layer]!)
    var inputShape = cutShape
    for layer in added {
      layers.append(layer.entry(functionalInput: input, inputShape: inputShape, keras3: keras3))
      input = KerasTensorReference(layer: layer.name)
      inputShape = layer.outputShape
    }
    var result = raw
    result["config"]?["layers"] = .array(layers)
    if let inputs = raw["config"]?["input_layers"]?.array {
      let single = inputs.first?.string != nil
      let kept = (single ? [KerasJSON.array(inputs)] : inputs).filter {
        $0.array?.first?.string.map { cut.keptCalls[$0] != nil } ?? false
      }
      result["config"]?["input_layers"] = single && kept.count == 1 ? kept[0] : .array(kept)
    }
    let output = KerasJSON.array([.string(input.layer), .literal("0"), .literal("0")])
    result["config"]?["output_layers"] = keras3 ? output : .array([output])
    return result
  }
}
