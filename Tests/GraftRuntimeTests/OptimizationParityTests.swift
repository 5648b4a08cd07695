import Foundation
import GraftData
import GraftIR
import Testing

@testable import GraftRuntime

/// `Graph.optimize(.all)` checked by running graphs before and after it: on every runnable ONNX
/// fixture against onnxruntime's outputs, and on hand-built graphs of the patterns it rewrites.
@Suite struct ExportOptimizationParity {
  /// Every runnable ONNX fixture, optimised, still verifies, keeps its outputs' names and types,
  /// and computes onnxruntime's outputs.
  @Test(arguments: runnableFixtures)
  func optimizedFixturesMatchOnnxRuntime(fixture: String) throws {
    let (original, inputs) = try loadFixture(fixture)
    var graph = original
    let report = try graph.optimize(.all)
    try graph.verify()
    #expect(graph.outputs.map(\.name) == original.outputs.map(\.name))
    for output in original.outputs {
      #expect(graph.type(of: output.name) == original.type(of: output.name), "\(output.name)")
    }
    #expect(report.opsAfter.values.reduce(0, +) == graph.nodes.count)
    try expectOnnxRuntimeOutputs(graph, inputs: inputs, fixture: fixture)
  }

  /// tf2onnx's MobileNetV3 (108 Transposes, one pair around each Conv) keeps only the Transpose
  /// of its NHWC input, and no Conv is followed by a Mul or Add by a constant that alone reads it
  /// (the hard swish's `+ 3` stays: the Conv output is read twice).
  @Test func mobileNetV3KeepsOnlyItsInputTranspose() throws {
    var graph = try loadFixture("mobilenetv3_keras").graph
    let report = try graph.optimize(.all)
    #expect(report.opsBefore["Transpose"] == 108)
    #expect(report.opsAfter["Transpose"] == 1)
    let (producer, uses) = (graph.producers, graph.useCounts)
    let afterConv = graph.nodes.filter { node in
      (node.op is Mul || node.op is Add) && node.inputs.contains { graph.constants[$0] != nil }
        && node.inputs.contains { input in
          uses[input] == 1 && producer[input].map { graph.nodes[$0].op is Conv } ?? false
        }
    }
    #expect(afterConv.isEmpty, "\(afterConv.map(\.name))")
  }

  /// A channels-last stretch as tf2onnx writes it (hard swish, Pad, a squeeze-and-excitation
  /// gate with its own Conv, Softmax over channels) between Convs: every Transpose goes, and the
  /// results stay.
  @Test func channelsLastStretchesRunInNCHW() throws {
    let graph = nodesGraph(
      input: [.symbol("N"), 3, 6, 6],
      [
        ("Conv", Conv(), ["x", "w1", "b1"], "c1"),
        ("Transpose", Transpose(perm: [0, 2, 3, 1]), ["c1"], "h"),
        ("Add", Add(), ["h", "bias"], "a"), ("Add", Add(), ["a", "three"], "a3"),
        ("Clip", Clip(), ["a3", "zero", "six"], "clipped"),
        ("Mul", Mul(), ["clipped", "sixth"], "ramp"), ("Mul", Mul(), ["a", "ramp"], "swish"),
        ("Pad", Pad(), ["swish", "pads"], "p"),
        ("ReduceMean", ReduceMean(), ["p", "axes"], "squeezed"),
        ("Transpose", Transpose(perm: [0, 3, 1, 2]), ["squeezed"], "se_in"),
        ("Conv", Conv(), ["se_in", "w_se", "b_se"], "se"),
        ("Transpose", Transpose(perm: [0, 2, 3, 1]), ["se"], "se_nhwc"),
        ("Sigmoid", Sigmoid(), ["se_nhwc"], "gate"), ("Mul", Mul(), ["p", "gate"], "gated"),
        ("Softmax", Softmax(axis: -1), ["gated"], "soft"),
        ("Transpose", Transpose(perm: [0, 3, 1, 2]), ["soft"], "q"),
        ("Conv", Conv(), ["q", "w2"], "y"),
      ],
      constants: [
        "w1": values([4, 3, 1, 1], seed: 1), "b1": values([4], seed: 2),
        "bias": values([4], seed: 3), "three": Tensor(scalar: Float(3)),
        "zero": Tensor(scalar: Float(0)), "six": Tensor(scalar: Float(6)),
        "sixth": Tensor(scalar: Float(1) / 6),
        "pads": Tensor([Int64(0), 1, 1, 0, 0, 0, 0, 0], shape: [8]),
        "axes": Tensor([Int64(1), 2], shape: [2]), "w_se": values([4, 4, 1, 1], seed: 4),
        "b_se": values([4], seed: 5), "w2": values([2, 4, 3, 3], seed: 6),
      ])
    let optimized = try expectSameResults(graph, inputs: ["x": values([2, 3, 6, 6], seed: 7)])
    #expect(optimized.opsAfter["Transpose"] == nil)
    #expect(optimized.nodesRemoved["transposes"] == 4)
  }

  /// Transposes into Gemm and MatMul, and BatchNormalization or per-feature Mul and Add after
  /// them, fold into Gemms (a batched MatMul keeps its Add).
  @Test func matrixProductsFoldTransposesAndNormalizations() throws {
    let norm = BatchNormalization(epsilon: 1e-3)
    let graph = nodesGraph(
      input: [5, 3],
      [
        ("Transpose", Transpose(), ["x"], "xt"),
        ("Gemm", Gemm(alpha: 0.5, beta: 2), ["xt", "w1", "c1"], "g1"),
        ("BatchNormalization", norm, ["g1", "scale", "shift", "mean", "var"], "n1"),
        ("Transpose", Transpose(perm: [1, 0]), ["n1"], "n1t"),
        ("MatMul", MatMul(), ["n1t", "w2"], "g2"),
        ("BatchNormalization", norm, ["g2", "scale", "shift", "mean", "var"], "n2"),
        ("Gemm", Gemm(transB: true), ["n2", "w3"], "g3"),
        ("Mul", Mul(), ["g3", "s3"], "m3"), ("Add", Add(), ["m3", "t3"], "y0"),
        ("Reshape", Reshape(), ["y0", "split"], "r"),
        ("MatMul", MatMul(), ["r", "w4"], "g4"), ("Mul", Mul(), ["g4", "s4"], "m4"),
        ("Add", Add(), ["t4", "m4"], "y"),
      ],
      constants: [
        "w1": values([5, 4], seed: 1), "c1": values([1, 4], seed: 2),
        "scale": values([4], seed: 3), "shift": values([4], seed: 4),
        "mean": values([4], seed: 5),
        "var": Tensor(values([4], seed: 6).elements(as: Float.self).map(abs), shape: [4]),
        "w2": values([3, 4], seed: 7), "w3": values([6, 4], seed: 8), "s3": values([6], seed: 9),
        "t3": values([1, 6], seed: 10), "split": Tensor([Int64(2), 2, 6], shape: [3]),
        "w4": values([6, 3], seed: 11), "s4": values([3], seed: 12), "t4": values([3], seed: 13),
      ])
    let optimized = try expectSameResults(graph, inputs: ["x": values([5, 3], seed: 14)])
    #expect(
      optimized.opsAfter == ["Gemm": 3, "Reshape": 1, "MatMul": 1, "Add": 1], "\(optimized)")
  }
}

/// Irregular float32 values in [−2, 2], the same for the same seed.
private func values(_ shape: [Int], seed: UInt64) -> Tensor {
  var generator = SplitMix64(seed: seed)
  let count = shape.reduce(1, *)
  return Tensor(
    (0..<count).map { _ in Float(Int(generator.next() % 4001) - 2000) / 1000 }, shape: shape)
}

/// A graph with one float32 input `x` and the nodes `(op type, op, inputs, output)` in order,
/// returning the last node's output.
private func nodesGraph(
  input: [Dim], _ nodes: [(String, any Operator, [String], String)],
  constants: [String: Tensor]
) -> Graph {
  Graph(
    inputs: [ValueInfo(name: "x", type: ValueType(.float32, input))],
    outputs: [ValueInfo(name: nodes.last!.3, type: .unknown)],
    nodes: nodes.enumerated().map { index, node in
      Node(name: "\(node.0.lowercased())_\(index)", op: node.1, inputs: node.2, outputs: [node.3])
    },
    constants: constants)
}

/// Optimises `graph` with every pass and checks that a session computes the same outputs from
/// `inputs` before and after.
private func expectSameResults(_ graph: Graph, inputs: [String: Tensor]) throws
  -> OptimizationReport
{
  var optimized = graph
  let report = try optimized.optimize(.all)
  try optimized.verify()
  let expected = try Session(graph: graph, threads: 1).run(inputs)
  let actual = try Session(graph: optimized, threads: 1).run(inputs)
  for output in graph.outputs {
    expectClose(
      try #require(actual[output.name]), try #require(expected[output.name]),
      "output '\(output.name)'")
  }
  return report
}
