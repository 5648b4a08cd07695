import GraftIR

extension FittedHead {
  /// The name of the head graph's input: one feature vector per row, `[N, inputCount]`.
  public static let inputName = "features"
  /// The name of the head graph's output: class probabilities, `[N, classCount]`.
  public static let outputName = "probabilities"

  /// The head as a graph of default-domain ops only: `Gemm` (`transB = 1`), `Relu` between
  /// layers, `Softmax` over the classes.
  ///
  /// The standardisation is folded into the first Gemm and the temperature into the last:
  /// `W·((x − μ)/s) + b = (W/s)·x + (b − (W/s)·μ)`, and `T·(W·h + b) = (T·W)·h + T·b`.
  /// Node and constant names start with `prefix`, so that the head can join a trunk's graph.
  public func graph(prefix: String = "head/") -> Graph {
    var graph = Graph(
      name: "head",
      inputs: [
        ValueInfo(
          name: Self.inputName, type: ValueType(.float32, [.symbol("N"), .fixed(inputCount)]))
      ])
    var current = Self.inputName
    for (index, layer) in foldedLayers().enumerated() {
      if index > 0 {
        let activated = "\(prefix)relu_\(index)"
        graph.nodes.append(
          Node(name: activated, op: Relu(), inputs: [current], outputs: [activated]))
        current = activated
      }
      let (weights, bias, output) = (
        "\(prefix)dense_\(index)/weights", "\(prefix)dense_\(index)/bias",
        "\(prefix)dense_\(index)"
      )
      graph.constants[weights] = Tensor(layer.weights, shape: [layer.outputs, layer.inputs])
      graph.constants[bias] = Tensor(layer.bias, shape: [layer.outputs])
      graph.nodes.append(
        Node(
          name: output, op: Gemm(transB: true), inputs: [current, weights, bias],
          outputs: [output]))
      current = output
    }
    graph.nodes.append(
      Node(
        name: "\(prefix)softmax", op: Softmax(axis: -1), inputs: [current],
        outputs: [Self.outputName]))
    graph.outputs = [ValueInfo(name: Self.outputName, type: .unknown)]
    // Every node's type follows from the typed input and constants.
    try? graph.inferTypes()
    graph.outputs = [
      ValueInfo(name: Self.outputName, type: graph.type(of: Self.outputName) ?? .unknown)
    ]
    return graph
  }

  /// The layers with the standardisation folded into the first and the temperature into the
  /// last.
  func foldedLayers() -> [Dense] {
    var layers = layers
    var first = layers[0]
    for output in 0..<first.outputs {
      var shift: Double = 0
      for input in 0..<first.inputs {
        let scaled = first.weights[output * first.inputs + input] / scale[input]
        first.weights[output * first.inputs + input] = scaled
        shift += Double(scaled) * Double(mean[input])
      }
      first.bias[output] -= Float(shift)
    }
    layers[0] = first
    let last = layers.count - 1
    layers[last].weights = layers[last].weights.map { $0 * temperature }
    layers[last].bias = layers[last].bias.map { $0 * temperature }
    return layers
  }
}
