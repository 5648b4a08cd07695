import GraftIR
import Testing

@testable import GraftRuntime

/// `Relu → zero Pad → MaxPool` and `zero Pad → AveragePool` compute the same with the Pad folded
/// into the pool (as the Session does) as with it run on its own (kept by exposing its output).
@Test(arguments: [
  (MaxPool(kernelShape: [3, 3], strides: [2, 2]) as any Operator, true),
  (AveragePool(kernelShape: [3, 3], strides: [2, 2]) as any Operator, false),
])
func foldedPadComputesWhatThePadDid(pool: any Operator, afterRelu: Bool) throws {
  var graph = Graph(
    inputs: [
      ValueInfo(name: "x", type: ValueType(.float32, [.fixed(2), .fixed(3), .fixed(7), .fixed(6)]))
    ],
    outputs: [ValueInfo(name: "y", type: .unknown)],
    nodes: [
      Node(name: "relu", op: Relu(), inputs: ["x"], outputs: ["r"]),
      Node(name: "pad", op: Pad(), inputs: [afterRelu ? "r" : "x", "p"], outputs: ["xp"]),
      Node(name: "pool", op: pool, inputs: ["xp"], outputs: ["y"]),
    ],
    constants: ["p": Tensor([Int64(0), 0, 1, 2, 0, 0, 1, 0], shape: [8])])
  if !afterRelu { graph.nodes.removeFirst() }
  var values = SplitMix64(seed: 7)
  let x = Tensor(
    (0..<(2 * 3 * 7 * 6)).map { _ in Float(Int(values.next() % 201) - 100) / 25 },
    shape: [2, 3, 7, 6])
  let folded = try Session(graph: graph, threads: 1)
  #expect(!folded.graph.nodes.contains { $0.op is Pad })
  var separate = graph
  separate.outputs.append(ValueInfo(name: "xp", type: .unknown))
  let unfolded = try Session(graph: separate, threads: 1)
  #expect(unfolded.graph.nodes.contains { $0.op is Pad })
  let expected = try #require(try unfolded.run(["x": x])["y"])
  let y = try #require(try folded.run(["x": x])["y"])
  #expect(
    y.matches(expected, tolerance: 1e-6), "\(String(describing: y.difference(from: expected)))")
}
