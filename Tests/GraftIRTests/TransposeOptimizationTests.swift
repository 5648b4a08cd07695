import Testing

@testable import GraftIR

private func transposes(_ graph: Graph) -> [Node] { graph.nodes.filter { $0.op is Transpose } }

/// An identity perm goes; a pair composing to the identity cancels; a pair composing to another
/// perm becomes one Transpose.
@Test func identityPermutationsCancelAndPairsMerge() throws {
  let graph = try typedGraph(
    inputs: ["x": [2, 3, 4]], outputs: ["y", "z"],
    nodes: [
      Node(name: "same", op: Transpose(perm: [0, 1, 2]), inputs: ["x"], outputs: ["a"]),
      Node(name: "neg", op: Neg(), inputs: ["a"], outputs: ["b"]),
      Node(name: "t1", op: Transpose(perm: [1, 2, 0]), inputs: ["b"], outputs: ["c"]),
      Node(name: "t2", op: Transpose(perm: [2, 0, 1]), inputs: ["c"], outputs: ["d"]),
      Node(name: "abs", op: Abs(), inputs: ["d"], outputs: ["y"]),
      Node(name: "t3", op: Transpose(perm: [1, 0, 2]), inputs: ["b"], outputs: ["e"]),
      Node(name: "t4", op: Transpose(perm: [0, 2, 1]), inputs: ["e"], outputs: ["f"]),
      Node(name: "neg2", op: Neg(), inputs: ["f"], outputs: ["z"]),
    ])
  let (result, removed) = try applying(
    { try $0.optimizeTransposes() }, to: graph, inputs: ["x": sample([2, 3, 4], seed: 1)])
  #expect(removed == 4)
  #expect(opTypes(result) == ["Neg", "Abs", "Transpose", "Neg"])
  #expect(result.nodes[1].inputs == ["b"])
  // Output axis b of t4∘t3 is axis t3[t4[b]] of b.
  #expect((result.nodes[2].op as? Transpose)?.perm == [1, 2, 0])
  #expect(result.nodes[2].inputs == ["b"])
}

/// Two default (reversing) perms cancel, their rank taken from the input's type.
@Test func reversalsCancel() throws {
  let graph = try typedGraph(
    inputs: ["x": [.symbol("N"), 3, 5]], outputs: ["y"],
    nodes: [
      Node(name: "t1", op: Transpose(), inputs: ["x"], outputs: ["a"]),
      Node(name: "t2", op: Transpose(), inputs: ["a"], outputs: ["b"]),
      Node(name: "neg", op: Neg(), inputs: ["b"], outputs: ["y"]),
    ])
  let (result, removed) = try applying(
    { try $0.optimizeTransposes() }, to: graph, inputs: ["x": sample([2, 3, 5], seed: 2)])
  #expect(removed == 2)
  #expect(opTypes(result) == ["Neg"])
}

/// A Transpose of a constant becomes a constant; a constant other nodes read stays as it was.
@Test func transposedConstantsFold() throws {
  let weights = sample([2, 3], seed: 3)
  let graph = try typedGraph(
    inputs: ["x": [3, 2], "w": [2, 3]], outputs: ["y", "z"],
    nodes: [
      Node(name: "t", op: Transpose(perm: [1, 0]), inputs: ["c"], outputs: ["ct"]),
      Node(name: "add", op: Add(), inputs: ["x", "ct"], outputs: ["y"]),
      Node(name: "mul", op: Mul(), inputs: ["c", "w"], outputs: ["z"]),
    ],
    constants: ["c": weights])
  let (result, removed) = try applying(
    { try $0.optimizeTransposes() }, to: graph,
    inputs: ["x": sample([3, 2], seed: 4), "w": sample([2, 3], seed: 5)])
  #expect(removed == 1)
  #expect(opTypes(result) == ["Add", "Mul"])
  #expect(result.constants["c"]?.elements(as: Float.self) == weights.elements(as: Float.self))
  #expect(
    result.constants["ct"]?.elements(as: Float.self)
      == weights.permutingAxes([1, 0]).elements(as: Float.self))
}

/// Gemm reads a transposed A or B through `transA`/`transB`; a MatMul of matrices beside a
/// constant becomes such a Gemm, one beside a computed value or over batches stays.
@Test func matrixProductsAbsorbTransposes() throws {
  let graph = try typedGraph(
    inputs: ["a": [4, 3], "b": [4, 2], "x": [4, 3], "v": [4, 2], "s": [5, 4, 3]],
    outputs: ["y", "z", "u", "w"],
    nodes: [
      Node(name: "ta", op: Transpose(perm: [1, 0]), inputs: ["a"], outputs: ["at"]),
      Node(name: "tb", op: Transpose(), inputs: ["b"], outputs: ["bt"]),
      Node(
        name: "gemm", op: Gemm(alpha: 2, transB: true), inputs: ["at", "bt", "c"],
        outputs: ["y"]),
      Node(name: "tx", op: Transpose(perm: [1, 0]), inputs: ["x"], outputs: ["xt"]),
      Node(name: "matmul", op: MatMul(), inputs: ["xt", "k"], outputs: ["z"]),
      Node(name: "shared", op: MatMul(), inputs: ["xt", "v"], outputs: ["u"]),
      Node(name: "ts", op: Transpose(perm: [0, 2, 1]), inputs: ["s"], outputs: ["st"]),
      Node(name: "batched", op: MatMul(), inputs: ["st", "k3"], outputs: ["w"]),
    ],
    constants: [
      "c": sample([2], seed: 6), "k": sample([4, 2], seed: 7), "k3": sample([4, 2], seed: 8),
    ])
  let (result, _) = try applying({ try $0.optimizeTransposes() }, to: graph)
  #expect(opTypes(result) == ["Gemm", "Transpose", "Gemm", "MatMul", "Transpose", "MatMul"])
  let gemm = try #require(result.nodes[0].op as? Gemm)
  #expect(gemm == Gemm(alpha: 2, transA: true, transB: false))
  #expect(result.nodes[0].inputs == ["a", "b", "c"])
  #expect(result.nodes[2].op as? Gemm == Gemm(transA: true))
  #expect(result.nodes[2].inputs == ["x", "k"])
  // The MatMul beside a computed matrix still reads the Transpose, which therefore stays.
  #expect(result.nodes[3].inputs == ["xt", "v"])
}

/// The tf2onnx pattern: an NHWC stretch of elementwise ops (a residual product and a Concat)
/// between `Transpose(0,2,3,1)` and `Transpose(0,3,1,2)` runs in NCHW, with its constants
/// permuted, and both Transposes go.
@Test func elementwiseStretchesBetweenInversePairsRunInTheOtherLayout() throws {
  let graph = try typedGraph(
    inputs: ["x": [.symbol("N"), 2, 3, 4]], outputs: ["y"],
    nodes: [
      Node(name: "to_nhwc", op: Transpose(perm: [0, 2, 3, 1]), inputs: ["x"], outputs: ["h"]),
      Node(name: "bias", op: Add(), inputs: ["h", "c"], outputs: ["a"]),
      Node(name: "neg", op: Neg(), inputs: ["a"], outputs: ["n"]),
      Node(name: "scale", op: Mul(), inputs: ["n", "s"], outputs: ["m"]),
      Node(name: "gate", op: Mul(), inputs: ["a", "m"], outputs: ["g"]),
      Node(name: "join", op: Concat(axis: -1), inputs: ["g", "a"], outputs: ["j"]),
      Node(name: "to_nchw", op: Transpose(perm: [0, 3, 1, 2]), inputs: ["j"], outputs: ["y"]),
    ],
    constants: ["c": sample([2], seed: 9), "s": Tensor(scalar: Float(0.5))])
  let (result, removed) = try applying(
    { try $0.optimizeTransposes() }, to: graph, inputs: ["x": sample([2, 2, 3, 4], seed: 10)])
  #expect(removed == 2)
  #expect(opTypes(result) == ["Add", "Neg", "Mul", "Mul", "Concat"])
  #expect(result.nodes[0].inputs[0] == "x")
  #expect(result.constants[result.nodes[0].inputs[1]]?.shape == [1, 2, 1, 1])
  // The scalar is read as it is.
  #expect(result.nodes[2].inputs[1] == "s")
  #expect((result.nodes[4].op as? Concat)?.axis == 1)
  #expect(result.nodes[4].outputs == ["y"])
}

/// Pad, Softmax and keepdims reductions join with their pads and axes moved to the other
/// layout; a reduction that drops axes does not.
@Test func padsAndAxesFollowTheLayout() throws {
  let graph = try typedGraph(
    inputs: ["x": [1, 2, 3, 4]], outputs: ["y", "z"],
    nodes: [
      Node(name: "to_nhwc", op: Transpose(perm: [0, 2, 3, 1]), inputs: ["x"], outputs: ["h"]),
      Node(name: "pad", op: Pad(), inputs: ["h", "pads"], outputs: ["p"]),
      Node(name: "softmax", op: Softmax(axis: -1), inputs: ["p"], outputs: ["s"]),
      Node(name: "mean", op: ReduceMean(), inputs: ["s", "axes"], outputs: ["r"]),
      Node(name: "to_nchw", op: Transpose(perm: [0, 3, 1, 2]), inputs: ["r"], outputs: ["y"]),
      Node(
        name: "squeeze_mean", op: ReduceMean(keepdims: false), inputs: ["s", "axes"],
        outputs: ["z"]),
    ],
    constants: [
      "pads": Tensor([Int64(0), 1, 0, 0, 0, 0, 2, 0], shape: [8]),
      "axes": Tensor([Int64(1), 2], shape: [2]),
    ])
  let (result, _) = try applying({ try $0.optimizeTransposes() }, to: graph)
  #expect(opTypes(result) == ["Pad", "Softmax", "Transpose", "ReduceMean", "ReduceMean"])
  #expect(result.constants[result.nodes[0].inputs[1]]?.integers() == [0, 0, 1, 0, 0, 0, 0, 2])
  #expect((result.nodes[1].op as? Softmax)?.axis == 1)
  // The Softmax output goes back to NHWC for the reduction that drops axes.
  #expect((result.nodes[2].op as? Transpose)?.perm == [0, 2, 3, 1])
  #expect(result.nodes[2].outputs == ["s"])
  #expect(result.constants[result.nodes[3].inputs[1]]?.integers() == [2, 3])
  #expect(result.nodes[4].inputs == ["s", "axes"])
  #expect(result.type(of: "y") == ValueType(.float32, [1, 2, 1, 1]))
}

/// A value also read outside the region comes back through one Transpose under its own name;
/// the pass goes ahead since that still removes a Transpose. The graph output keeps its name
/// (an Identity, since the value it copies is read twice).
@Test func valuesReadElsewhereComeBackThroughOneTranspose() throws {
  let graph = try typedGraph(
    inputs: ["x": [2, 3, 4, 5]], outputs: ["y", "z"],
    nodes: [
      Node(name: "t1", op: Transpose(perm: [0, 2, 3, 1]), inputs: ["x"], outputs: ["h"]),
      Node(name: "neg", op: Neg(), inputs: ["h"], outputs: ["n"]),
      Node(name: "t2", op: Transpose(perm: [0, 3, 1, 2]), inputs: ["n"], outputs: ["y"]),
      Node(name: "flat", op: Reshape(), inputs: ["n", "shape"], outputs: ["z"]),
    ],
    constants: ["shape": Tensor([Int64(2), -1], shape: [2])])
  let (result, removed) = try applying(
    { try $0.optimizeTransposes() }, to: graph, inputs: ["x": sample([2, 3, 4, 5], seed: 11)])
  #expect(removed == 0)
  #expect(opTypes(result) == ["Neg", "Transpose", "Identity", "Reshape"])
  #expect(result.nodes[1].outputs == ["n"])
  #expect(result.nodes[2].outputs == ["y"])
  #expect(result.nodes[2].inputs == result.nodes[1].inputs)
}

/// Sinking a Transpose that would only move it (nothing to cancel) changes nothing.
@Test func transposesWithNothingToMeetStay() throws {
  let graph = try typedGraph(
    inputs: ["x": [2, 3, 4]], outputs: ["y"],
    nodes: [
      Node(name: "t", op: Transpose(perm: [0, 2, 1]), inputs: ["x"], outputs: ["h"]),
      Node(name: "neg", op: Neg(), inputs: ["h"], outputs: ["y"]),
    ])
  let (result, removed) = try applying({ try $0.optimizeTransposes() }, to: graph)
  #expect(removed == 0)
  #expect(opTypes(result) == ["Transpose", "Neg"])
}

/// A Transpose that only moves unit dims keeps the element order: Reshapes after it read its
/// input, a Reshape before it writes its output (as Keras's squeeze-and-excitation reshapes
/// `[N, C]` to `[N, 1, 1, C]` before a 1×1 Conv), and views follow.
@Test func orderKeepingTransposesFoldIntoReshapes() throws {
  var graph = try typedGraph(
    inputs: ["x": [.symbol("N"), 3, 1, 1], "v": [2, 3, 4, 1], "s": [.symbol("N"), 5]],
    outputs: ["y", "z", "u"],
    nodes: [
      Node(name: "t", op: Transpose(perm: [0, 2, 3, 1]), inputs: ["x"], outputs: ["h"]),
      Node(name: "flat", op: Reshape(), inputs: ["h", "shape"], outputs: ["y"]),
      Node(name: "t2", op: Transpose(perm: [0, 2, 3, 1]), inputs: ["v"], outputs: ["g"]),
      Node(name: "flat2", op: Reshape(), inputs: ["g", "shape"], outputs: ["z"]),
      Node(name: "expand", op: Reshape(), inputs: ["s", "nhwc"], outputs: ["e"]),
      Node(name: "t3", op: Transpose(perm: [0, 3, 1, 2]), inputs: ["e"], outputs: ["u"]),
    ],
    constants: [
      "shape": Tensor([Int64(0), -1], shape: [2]),
      "nhwc": Tensor([Int64(-1), 1, 1, 5], shape: [4]),
    ])
  graph.views["se_reshape"] = InterfaceView(value: "e", permutation: [0, 1, 2, 3])
  let (result, removed) = try applying(
    { try $0.optimizeTransposes() }, to: graph,
    inputs: [
      "x": sample([2, 3, 1, 1], seed: 12), "v": sample([2, 3, 4, 1], seed: 13),
      "s": sample([2, 5], seed: 14),
    ])
  #expect(removed == 2)
  #expect(opTypes(result) == ["Reshape", "Transpose", "Reshape", "Reshape"])
  #expect(result.nodes[0].inputs == ["x", "shape"])
  #expect(result.nodes[3].outputs == ["u"])
  #expect(result.constants[result.nodes[3].inputs[1]]?.integers() == [0, 5, 1, 1])
  #expect(result.views["se_reshape"] == InterfaceView(value: "u", permutation: [0, 2, 3, 1]))
}

/// A view on a moved value is rewritten to permute from the new layout, so a cut at it still
/// returns the framework's value.
@Test func viewsFollowMovedValues() throws {
  var graph = try typedGraph(
    inputs: ["x": [1, 2, 3, 4]], outputs: ["y"],
    nodes: [
      Node(name: "t1", op: Transpose(perm: [0, 2, 3, 1]), inputs: ["x"], outputs: ["h"]),
      Node(name: "neg", op: Neg(), inputs: ["h"], outputs: ["n"]),
      Node(name: "t2", op: Transpose(perm: [0, 3, 1, 2]), inputs: ["n"], outputs: ["y"]),
    ])
  graph.views["layer"] = InterfaceView(value: "n", permutation: [0, 3, 1, 2])
  let (result, _) = try applying({ try $0.optimizeTransposes() }, to: graph)
  #expect(transposes(result).isEmpty)
  // The value is now NCHW, and its producer writes the graph output `y` directly.
  #expect(result.views["layer"] == InterfaceView(value: "y", permutation: [0, 1, 2, 3]))
  let input = ["x": sample([1, 2, 3, 4], seed: 14)]
  let expected = try evaluatedByFolding(try graph.cut(at: ["layer"]), input)
  let actual = try evaluatedByFolding(try result.cut(at: ["layer"]), input)
  #expect(actual[0].matches(expected[0]))
}

/// A Transpose that only moves dims of size 1, with no Reshape beside it, becomes a Reshape whose
/// target copies the batch dim.
@Test func unitDimTransposeBecomesAReshape() throws {
  let graph = try typedGraph(
    inputs: ["x": [.symbol("N"), 6, 1, 1]], outputs: ["y"],
    nodes: [
      Node(name: "to_nhwc", op: Transpose(perm: [0, 2, 3, 1]), inputs: ["x"], outputs: ["y"])
    ])
  let (optimized, _) = try applying({ try $0.optimizeTransposes() }, to: graph)
  #expect(opTypes(optimized) == ["Reshape"])
  let target = try #require(optimized.constants[optimized.nodes[0].inputs[1]])
  #expect(target.integers() == [0, 1, 1, 6])
  let fixed = try typedGraph(
    inputs: ["x": [2, 6, 1, 1]], outputs: ["y"], nodes: graph.nodes)
  _ = try applying(
    { try $0.optimizeTransposes() }, to: fixed, inputs: ["x": sample([2, 6, 1, 1], seed: 5)])
}
