import GraftIR

/// One Dense layer of a head written into a Keras model, in Keras's layout:
/// `y = activation(x · kernel + bias)` with `kernel` `[inputs, outputs]` (the transpose of an
/// ONNX `Gemm(transB = 1)` weight) and `bias` `[outputs]`, both float32.
public struct KerasDenseLayer: Sendable {
  /// The Keras activation names the head uses: `relu` between layers, `softmax` at the end.
  public enum Activation: String, Sendable {
    case linear, relu, softmax
  }

  public var kernel: Tensor
  public var bias: Tensor
  public var activation: Activation

  public init(kernel: Tensor, bias: Tensor, activation: Activation) {
    self.kernel = kernel
    self.bias = bias
    self.activation = activation
  }

  /// Features the layer takes (`kernel`'s rows), and the units it gives (its columns).
  var inputs: Int { kernel.shape.first ?? 0 }
  var units: Int { kernel.shape.count == 2 ? kernel.shape[1] : 0 }
}

/// A layer the writer adds after the cut: the pooling (or Flatten), then the Dense layers.
struct KerasAddedLayer {
  var className: String
  var name: String
  /// The layer's `config` object (Keras's constructor arguments).
  var config: KerasJSON
  /// The variables (`kernel`, `bias`) in Keras's order.
  var weights: [(variable: String, tensor: Tensor)] = []
  /// The output shape in Keras's layout, batch first (`nil` for the batch and unknown dims).
  var outputShape: [Int?]
}

extension KerasAddedLayer {
  /// The layers that turn the cut layer's output (Keras shape `cutShape`) into the head's
  /// input as `Graph.featureTrunk(…, channelsLast: true)` does, then the Dense layers.
  ///
  /// `avg` and `max` pool every axis but the batch and the last (channels_last global pooling,
  /// 1D, 2D or 3D by rank); `none` flattens in Keras's (row-major, channels-last) order, the
  /// order extraction flattens the layer's value in. A 2-D output passes as it is.
  ///
  /// - Parameters:
  ///   - dtype: the `dtype` entry the trunk's layers carry (a string for Keras 2, a
  ///     `DTypePolicy` object for Keras 3).
  ///   - taken: names the new layers must not take.
  /// - Throws: `KerasError.layer` naming the cut layer when its width is not the first Dense
  ///   layer's input count, or the head's layers do not chain.
  static func head(
    after cut: KerasLayerConfig, cutShape: [Int?], pooling: FeaturePooling,
    dense: [KerasDenseLayer], dtype: KerasJSON?, taken: Set<String>
  ) throws -> [KerasAddedLayer] {
    func fail(_ message: String) -> KerasError {
      KerasError.layer(name: cut.name, className: cut.className, message)
    }
    var taken = taken
    func unique(_ base: String) -> String {
      var name = base
      var suffix = 2
      while taken.contains(name) {
        name = "\(base)_\(suffix)"
        suffix += 1
      }
      taken.insert(name)
      return name
    }
    func config(_ name: String, _ members: [(String, KerasJSON)]) -> KerasJSON {
      var all: [(key: String, value: KerasJSON)] = [("name", .string(name))]
      all.append(("trainable", .literal("true")))
      if let dtype { all.append(("dtype", dtype)) }
      return .object(all + members.map { (key: $0.0, value: $0.1) })
    }
    var layers: [KerasAddedLayer] = []
    var shape = cutShape
    let rank = cutShape.count
    if rank > 2 {
      let className: String
      if pooling == .none {
        className = "Flatten"
        let dims = cutShape.dropFirst()
        shape = [nil, dims.contains(nil) ? nil : dims.reduce(1) { $0 * $1! }]
      } else {
        guard rank <= 5 else {
          throw fail("gives a rank-\(rank) output; Keras pools ranks 3 to 5 only")
        }
        className = "Global\(pooling == .avg ? "Average" : "Max")Pooling\(rank - 2)D"
        shape = [nil, cutShape[rank - 1]]
      }
      let name = unique(pooling == .none ? "head_flatten" : "head_pool")
      var members: [(String, KerasJSON)] = [("data_format", .string("channels_last"))]
      if pooling != .none { members.append(("keepdims", .literal("false"))) }
      layers.append(
        KerasAddedLayer(
          className: className, name: name, config: config(name, members), outputShape: shape))
    }
    guard let width = shape.last ?? nil, shape.count == 2 else {
      throw fail("gives \(Self.text(shape)) after \(pooling.rawValue) pooling, not a vector")
    }
    guard let first = dense.first, first.inputs == width else {
      throw fail(
        "gives \(width) features per row after \(pooling.rawValue) pooling, but the head's first "
          + "Dense layer takes \(dense.first?.inputs ?? 0)")
    }
    var inputs = width
    for (index, layer) in dense.enumerated() {
      guard layer.kernel.shape.count == 2, layer.inputs == inputs, layer.kernel.dtype == .float32,
        layer.bias.shape == [layer.units], layer.bias.dtype == .float32
      else {
        throw fail(
          "head Dense layer \(index) has kernel \(layer.kernel) and bias \(layer.bias); expected "
            + "float32 [\(inputs), units] and [units]")
      }
      let name = unique("head_dense_\(index)")
      let members: [(String, KerasJSON)] = [
        ("units", .literal("\(layer.units)")), ("activation", .string(layer.activation.rawValue)),
        ("use_bias", .literal("true")),
      ]
      layers.append(
        KerasAddedLayer(
          className: "Dense", name: name, config: config(name, members),
          weights: [("kernel", layer.kernel), ("bias", layer.bias)],
          outputShape: [nil, layer.units]))
      inputs = layer.units
    }
    return layers
  }

  /// `[None, 4, 4, 32]`, as Keras prints shapes.
  static func text(_ shape: [Int?]) -> String {
    "[" + shape.map { $0.map(String.init) ?? "None" }.joined(separator: ", ") + "]"
  }

  /// The layer's entry in a model config's `layers`: `{"class_name", "config"}` in a
  /// Sequential model; in a functional one also `name` and `inbound_nodes`, one call on
  /// `input` (whose Keras shape is `inputShape`) written as Keras 2 (`[[[layer, node, tensor,
  /// {}]]]`) or Keras 3 (`__keras_tensor__` arguments) does.
  func entry(functionalInput input: KerasTensorReference?, inputShape: [Int?], keras3: Bool)
    -> KerasJSON
  {
    var members: [(key: String, value: KerasJSON)] = [
      ("class_name", .string(className)), ("config", config),
    ]
    guard let input else { return .object(members) }
    let history: [KerasJSON] = [
      .string(input.layer), .literal("\(input.node)"), .literal("\(input.tensor)"),
    ]
    let node: KerasJSON
    if keras3 {
      let shape = KerasJSON.array(inputShape.map { $0.map { .literal("\($0)") } ?? .null })
      let tensor = KerasJSON.object([
        ("class_name", .string("__keras_tensor__")),
        (
          "config",
          .object([
            ("shape", shape), ("dtype", .string("float32")), ("keras_history", .array(history)),
          ])
        ),
      ])
      node = .object([("args", .array([tensor])), ("kwargs", .object([]))])
    } else {
      node = .array([.array(history + [.object([])])])
    }
    members += [("name", .string(name)), ("inbound_nodes", .array([node]))]
    return .object(members)
  }
}
