import GraftIR
import Testing

@testable import GraftRuntime

/// Deterministic, irregular values in [−4, 4) so that Relu and Clip(0, 1) both cut some off.
private func spread(_ count: Int, seed: Int) -> [Float] {
  (0..<count).map { Float(($0 * 29 + seed * 13 + 3) % 31) / 31 * 8 - 4 }
}

/// `Conv → activation` as a graph with the activation's output (and optionally the Conv's) as
/// graph outputs.
private func convThenActivation(
  _ conv: Conv, activation: any Operator, x: [Int], w: [Int], bounds: [Float] = [],
  exposeConv: Bool = false
) -> Graph {
  var graph = Graph()
  graph.inputs = [ValueInfo(name: "x", type: ValueType(.float32, x.map(Dim.fixed)))]
  graph.constants["w"] = Tensor(spread(w.reduce(1, *), seed: 1), shape: w)
  graph.constants["b"] = Tensor(spread(w[0], seed: 2), shape: [w[0]])
  var activationInputs = ["conv"]
  for (index, bound) in bounds.enumerated() {
    graph.constants["bound\(index)"] = Tensor(scalar: bound)
    activationInputs.append("bound\(index)")
  }
  graph.nodes = [
    Node(name: "conv", op: conv, inputs: ["x", "w", "b"], outputs: ["conv"]),
    Node(name: "act", op: activation, inputs: activationInputs, outputs: ["y"]),
  ]
  graph.outputs = (exposeConv ? ["conv", "y"] : ["y"]).map { ValueInfo(name: $0, type: .unknown) }
  return graph
}

struct FusionCase: Sendable, CustomTestStringConvertible {
  let name: String
  let conv: Conv
  let x: [Int]
  let w: [Int]
  var testDescription: String { name }
}

@Test(arguments: [
  FusionCase(name: "im2col", conv: Conv(pads: [1, 1, 1, 1]), x: [2, 3, 9, 7], w: [5, 3, 3, 3]),
  FusionCase(name: "pointwise", conv: Conv(), x: [2, 6, 5, 5], w: [4, 6, 1, 1]),
  FusionCase(
    name: "depthwise strided", conv: Conv(group: 4, pads: [0, 1, 1, 1], strides: [2, 2]),
    x: [2, 4, 9, 10], w: [4, 1, 3, 3]),
])
func fusedActivationsEqualTheSeparateOps(_ test: FusionCase) throws {
  let x = Tensor(spread(test.x.reduce(1, *), seed: 0), shape: test.x)
  let activations: [(any Operator, [Float], (Float) -> Float)] = [
    (Relu(), [], { $0 > 0 ? $0 : 0 }),
    (Clip(), [0, 1], { min(max($0, 0), 1) }),
  ]
  for (activation, bounds, formula) in activations {
    let fusedGraph = convThenActivation(
      test.conv, activation: activation, x: test.x, w: test.w, bounds: bounds)
    let fused = try Session(graph: fusedGraph, threads: 2)
    #expect(fused.graph.nodes.map(\.opType) == ["FusedConv"])
    let separate = try Session(
      graph: convThenActivation(
        test.conv, activation: activation, x: test.x, w: test.w, bounds: bounds,
        exposeConv: true),
      threads: 2)
    #expect(separate.graph.nodes.map(\.opType) == ["Conv", activation.opType])
    let expected = try separate.run(["x": x])
    let y = try #require(try fused.run(["x": x])["y"])
    #expect(y.elements(as: Float.self) == expected["y"]!.elements(as: Float.self))
    #expect(
      y.elements(as: Float.self) == expected["conv"]!.elements(as: Float.self).map(formula))
  }
}

@Test func clipWithBoundsComputedAtRunTimeIsNotFused() throws {
  var graph = convThenActivation(Conv(), activation: Clip(), x: [1, 2, 3, 3], w: [2, 2, 1, 1])
  graph.inputs.append(ValueInfo(name: "upper", type: ValueType(.float32, [])))
  graph.nodes[1].inputs = ["conv", "", "upper"]
  let session = try Session(graph: graph, threads: 1)
  #expect(session.graph.nodes.map(\.opType) == ["Conv", "Clip"])
}

@Test func batchNormalizationAfterAConvFoldsIntoIt() throws {
  let channels = 4
  var graph = Graph()
  graph.inputs = [
    ValueInfo(name: "x", type: ValueType(.float32, [.fixed(2), .fixed(3), .fixed(5), .fixed(5)]))
  ]
  graph.constants["w"] = Tensor(spread(channels * 3 * 9, seed: 1), shape: [channels, 3, 3, 3])
  graph.constants["scale"] = Tensor([Float(0.5), 2, -1, 1.5], shape: [channels])
  graph.constants["bias"] = Tensor([Float(0.1), -0.2, 0.3, 0], shape: [channels])
  graph.constants["mean"] = Tensor([Float(1), -1, 0.5, 0], shape: [channels])
  graph.constants["var"] = Tensor([Float(4), 0.25, 1, 2], shape: [channels])
  graph.nodes = [
    Node(name: "conv", op: Conv(pads: [1, 1, 1, 1]), inputs: ["x", "w"], outputs: ["conv"]),
    Node(
      name: "bn", op: BatchNormalization(epsilon: 1e-3),
      inputs: ["conv", "scale", "bias", "mean", "var"], outputs: ["y"]),
  ]
  graph.outputs = [ValueInfo(name: "y", type: .unknown)]
  let folded = try Session(graph: graph, threads: 1)
  #expect(folded.graph.nodes.map(\.opType) == ["Conv"])
  var separate = graph
  separate.outputs.append(ValueInfo(name: "conv", type: .unknown))
  let x = Tensor(spread(2 * 3 * 25, seed: 0), shape: [2, 3, 5, 5])
  let reference = try Session(graph: separate, threads: 1).run(["x": x])
  let y = try #require(try folded.run(["x": x])["y"])
  #expect(y.matches(reference["y"]!, tolerance: 1e-5))
}

/// `Relu(Conv(x) + shortcut)` (a ResNet block's end), with the Conv's and the Add's outputs
/// optionally exposed as graph outputs, which must stop the fusion.
private func residualBlock(exposing exposed: [String] = [], bias: Bool) -> Graph {
  var graph = Graph()
  let shape: [Dim] = [.symbol("N"), .fixed(5), .fixed(6), .fixed(7)]
  graph.inputs = [
    ValueInfo(name: "x", type: ValueType(.float32, shape)),
    ValueInfo(name: "shortcut", type: ValueType(.float32, shape)),
  ]
  graph.constants["w"] = Tensor(spread(5 * 5 * 9, seed: 1), shape: [5, 5, 3, 3])
  graph.constants["b"] = Tensor(spread(5, seed: 2), shape: [5])
  graph.nodes = [
    Node(
      name: "conv", op: Conv(pads: [1, 1, 1, 1]), inputs: bias ? ["x", "w", "b"] : ["x", "w"],
      outputs: ["conv"]),
    Node(name: "add", op: Add(), inputs: ["shortcut", "conv"], outputs: ["sum"]),
    Node(name: "relu", op: Relu(), inputs: ["sum"], outputs: ["y"]),
  ]
  graph.outputs = (["y"] + exposed).map { ValueInfo(name: $0, type: .unknown) }
  return graph
}

@Test(arguments: [true, false])
func residualAddAndReluFuseIntoTheConvWithTheSameBits(bias: Bool) throws {
  let inputs = [
    "x": Tensor(spread(2 * 5 * 42, seed: 0), shape: [2, 5, 6, 7]),
    "shortcut": Tensor(spread(2 * 5 * 42, seed: 5), shape: [2, 5, 6, 7]),
  ]
  let fused = try Session(graph: residualBlock(bias: bias), threads: 2)
  #expect(fused.graph.nodes.map(\.opType) == ["FusedConv"])
  let separate = try Session(
    graph: residualBlock(exposing: ["conv", "sum"], bias: bias), threads: 2)
  #expect(separate.graph.nodes.map(\.opType) == ["Conv", "Add", "Relu"])
  let expected = try separate.run(inputs)
  let y = try #require(try fused.run(inputs)["y"]).elements(as: Float.self)
  #expect(y == expected["y"]!.elements(as: Float.self))
  let sums = zip(
    expected["conv"]!.elements(as: Float.self), inputs["shortcut"]!.elements(as: Float.self))
  #expect(y == sums.map { max($0 + $1, 0) })
}

@Test func addAloneFusesAndBroadcastingAddDoesNot() throws {
  var graph = residualBlock(exposing: ["sum"], bias: true)
  graph.outputs = [ValueInfo(name: "sum", type: .unknown)]
  graph.nodes.removeLast()
  #expect(try Session(graph: graph, threads: 1).graph.nodes.map(\.opType) == ["FusedConv"])
  graph.inputs[1].type = ValueType(.float32, [.fixed(1), .fixed(5), .fixed(1), .fixed(1)])
  #expect(try Session(graph: graph, threads: 1).graph.nodes.map(\.opType) == ["Conv", "Add"])
}
