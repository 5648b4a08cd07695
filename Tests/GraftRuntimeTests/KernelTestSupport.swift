import GraftIR

@testable import GraftRuntime

/// Runs one node through a `Session`. Inputs whose index is in `constants` are graph constants
/// (known when the plan is built, as shapes and pads are in real models); nil inputs are omitted.
func run(
  _ op: any Operator, _ inputs: [Tensor?], constants: Set<Int> = [], outputs: Int = 1,
  threads: Int = 1
) throws -> [Tensor] {
  var graph = Graph()
  var names: [String] = []
  var feeds: [String: Tensor] = [:]
  for (index, input) in inputs.enumerated() {
    guard let input else {
      names.append("")
      continue
    }
    let name = "x\(index)"
    names.append(name)
    if constants.contains(index) {
      graph.constants[name] = input
    } else {
      graph.inputs.append(ValueInfo(name: name, type: input.valueType))
      feeds[name] = input
    }
  }
  let outputNames = (0..<outputs).map { "y\($0)" }
  graph.nodes = [Node(name: "node", op: op, inputs: names, outputs: outputNames)]
  graph.outputs = outputNames.map { ValueInfo(name: $0, type: .unknown) }
  let results = try Session(graph: graph, threads: threads).run(feeds)
  return outputNames.map { results[$0]! }
}
