import Testing

@testable import GraftIR

/// A float32 tensor of `shape` with irregular values in [−4, 4], the same for the same seed.
func sample(_ shape: [Int], seed: UInt64) -> Tensor {
  var generator = SplitMix64(seed: seed)
  let values = (0..<shape.reduce(1, *)).map { _ in Float(Int(generator.next() % 2001) - 1000) / 250
  }
  return Tensor(values, shape: shape)
}

/// The graph's outputs, computed by constant folding with each graph input replaced by the
/// constant in `inputs`: a reference evaluation for graphs of foldable ops (Transpose,
/// elementwise arithmetic, Concat, …) that needs no runtime.
func evaluatedByFolding(_ graph: Graph, _ inputs: [String: Tensor]) throws -> [Tensor] {
  var folded = graph
  folded.inputs = []
  folded.constants.merge(inputs) { _, input in input }
  try folded.foldConstants()
  return try folded.outputs.map { output in
    try #require(folded.constants[output.name], "output '\(output.name)' did not fold")
  }
}

/// Runs `pass` on a copy of `graph` and checks what every pass must keep: the graph verifies,
/// its outputs keep their names and types, and, when `inputs` is given, folding computes the
/// same outputs as before.
func applying(
  _ pass: (inout Graph) throws -> Int, to graph: Graph, inputs: [String: Tensor]? = nil
) throws -> (graph: Graph, count: Int) {
  var result = graph
  let count = try pass(&result)
  try result.verify()
  #expect(result.outputs.map(\.name) == graph.outputs.map(\.name))
  for output in graph.outputs {
    #expect(result.type(of: output.name) == graph.type(of: output.name), "\(output.name)")
  }
  if let inputs {
    let expected = try evaluatedByFolding(graph, inputs)
    let actual = try evaluatedByFolding(result, inputs)
    for (value, reference) in zip(actual, expected) {
      #expect(value.matches(reference), "\(value) vs \(reference)")
    }
  }
  return (result, count)
}

/// A graph over float32 inputs with the given shapes, typed.
func typedGraph(
  inputs: [String: [Dim]], outputs: [String], nodes: [Node], constants: [String: Tensor] = [:]
) throws -> Graph {
  var graph = Graph(
    inputs: inputs.keys.sorted().map { ValueInfo(name: $0, type: ValueType(.float32, inputs[$0])) },
    outputs: outputs.map { ValueInfo(name: $0, type: .unknown) }, nodes: nodes,
    constants: constants)
  try graph.inferTypes()
  return graph
}

/// The op types of the graph's nodes, in order.
func opTypes(_ graph: Graph) -> [String] { graph.nodes.map(\.opType) }
