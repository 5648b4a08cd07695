import Testing

@testable import GraftIR

/// BatchNormalization parameters with `√(var + ε) = [2, 1, 4]` for ε = 1: factor
/// `f = scale / √(var + ε) = [0.5, 2, 0.125]`, shift `B − mean·f = [−0.5, 1, −1.25]`.
private let normConstants: [String: Tensor] = [
  "scale": Tensor([Float(1), 2, 0.5], shape: [3]), "bias": Tensor([Float(0), 1, -1], shape: [3]),
  "mean": Tensor([Float(1), 0, 2], shape: [3]), "var": Tensor([Float(3), 0, 15], shape: [3]),
]

private func norm(_ input: String, _ output: String) -> Node {
  Node(
    name: "bn", op: BatchNormalization(epsilon: 1),
    inputs: [input, "scale", "bias", "mean", "var"], outputs: [output])
}

private func floats(_ graph: Graph, _ name: String) -> [Float]? {
  graph.constants[name]?.elements(as: Float.self)
}

/// `Gemm → BatchNormalization` becomes one Gemm: columns of B scaled by f, C = (beta·C)·f + shift
/// with beta 1.
@Test func batchNormalizationFoldsIntoAGemm() throws {
  let graph = try typedGraph(
    inputs: ["x": [.symbol("N"), 2]], outputs: ["y"],
    nodes: [
      Node(name: "gemm", op: Gemm(beta: 2), inputs: ["x", "w", "c"], outputs: ["g"]),
      norm("g", "y"),
    ],
    constants: normConstants.merging([
      "w": Tensor([Float(1), 2, 3, 4, 5, 6], shape: [2, 3]),
      "c": Tensor([Float(1), 1, 1], shape: [3]),
    ]) { first, _ in first })
  let (result, folded) = try applying({ try $0.foldAffineIntoMatrixProducts() }, to: graph)
  #expect(folded == 2)
  #expect(opTypes(result) == ["Gemm"])
  let gemm = result.nodes[0]
  #expect(gemm.outputs == ["y"])
  #expect(gemm.op as? Gemm == Gemm(beta: 1))
  #expect(floats(result, gemm.inputs[1]) == [0.5, 4, 0.375, 2, 10, 0.75])
  #expect(floats(result, gemm.inputs[2]) == [0.5, 5, -1])
}

/// Under `transB` the rows of B are the output features; a missing C is created from the shift,
/// and alpha is kept.
@Test func perFeatureMulAndAddFoldIntoATransposedGemm() throws {
  let graph = try typedGraph(
    inputs: ["x": [4, 2]], outputs: ["y"],
    nodes: [
      Node(name: "gemm", op: Gemm(alpha: 2, transB: true), inputs: ["x", "w"], outputs: ["g"]),
      Node(name: "scale", op: Mul(), inputs: ["s", "g"], outputs: ["m"]),
      Node(name: "shift", op: Add(), inputs: ["m", "t"], outputs: ["y"]),
    ],
    constants: [
      "w": Tensor([Float(1), 2, 3, 4, 5, 6], shape: [3, 2]),
      "s": Tensor([Float(1), 10, 100], shape: [3]), "t": Tensor([Float(1), 2, 3], shape: [1, 3]),
    ])
  let (result, folded) = try applying({ try $0.foldAffineIntoMatrixProducts() }, to: graph)
  #expect(folded == 2)
  #expect(opTypes(result) == ["Gemm"])
  let gemm = result.nodes[0]
  #expect(gemm.op as? Gemm == Gemm(alpha: 2, beta: 1, transB: true))
  #expect(floats(result, gemm.inputs[1]) == [1, 2, 30, 40, 500, 600])
  #expect(floats(result, gemm.inputs[2]) == [1, 2, 3])
  #expect(result.constants[gemm.inputs[2]]?.shape == [3])
}

/// A C broadcast along the columns (`[M, 1]`) becomes a full `[M, N]` matrix when scaled.
@Test func columnBiasesExpandWhenScaled() throws {
  let graph = try typedGraph(
    inputs: ["x": [2, 2]], outputs: ["y"],
    nodes: [
      Node(name: "gemm", op: Gemm(), inputs: ["x", "w", "c"], outputs: ["g"]),
      Node(name: "scale", op: Mul(), inputs: ["g", "s"], outputs: ["y"]),
    ],
    constants: [
      "w": Tensor([Float(1), 2, 3, 4, 5, 6], shape: [2, 3]),
      "c": Tensor([Float(1), 2], shape: [2, 1]), "s": Tensor([Float(1), 10, 100], shape: [3]),
    ])
  let (result, folded) = try applying({ try $0.foldAffineIntoMatrixProducts() }, to: graph)
  #expect(folded == 1)
  let bias = try #require(result.constants[result.nodes[0].inputs[2]])
  #expect(bias.shape == [2, 3])
  #expect(bias.elements(as: Float.self) == [1, 10, 100, 2, 20, 200])
}

/// `MatMul → BatchNormalization` over a matrix becomes a Gemm with the shift as C.
@Test func batchNormalizationTurnsAMatrixMatMulIntoAGemm() throws {
  let graph = try typedGraph(
    inputs: ["x": [.symbol("N"), 2]], outputs: ["y"],
    nodes: [
      Node(name: "matmul", op: MatMul(), inputs: ["x", "w"], outputs: ["g"]), norm("g", "y"),
    ],
    constants: normConstants.merging(["w": Tensor([Float(1), 2, 3, 4, 5, 6], shape: [2, 3])]) {
      first, _ in first
    })
  let (result, folded) = try applying({ try $0.foldAffineIntoMatrixProducts() }, to: graph)
  #expect(folded == 2)
  #expect(opTypes(result) == ["Gemm"])
  #expect(floats(result, result.nodes[0].inputs[1]) == [0.5, 4, 0.375, 2, 10, 0.75])
  #expect(floats(result, result.nodes[0].inputs[2]) == [-0.5, 1, -1.25])
}

/// Over batches of matrices MatMul keeps its rank: the scale goes into B's columns and the Add of
/// the shift stays after it.
@Test func batchedMatMulsAbsorbTheScaleOnly() throws {
  let graph = try typedGraph(
    inputs: ["x": [.symbol("N"), 4, 2]], outputs: ["y"],
    nodes: [
      Node(name: "matmul", op: MatMul(), inputs: ["x", "w"], outputs: ["g"]),
      Node(name: "scale", op: Mul(), inputs: ["g", "s"], outputs: ["m"]),
      Node(name: "shift", op: Add(), inputs: ["m", "t"], outputs: ["y"]),
    ],
    constants: [
      "w": Tensor([Float(1), 2, 3, 4, 5, 6], shape: [2, 3]),
      "s": Tensor([Float(1), 10, 100], shape: [3]), "t": Tensor([Float(1), 2, 3], shape: [3]),
    ])
  let (result, folded) = try applying({ try $0.foldAffineIntoMatrixProducts() }, to: graph)
  #expect(folded == 1)
  #expect(opTypes(result) == ["MatMul", "Add"])
  #expect(floats(result, result.nodes[0].inputs[1]) == [1, 20, 300, 4, 50, 600])
  #expect(result.nodes[1].inputs == [result.nodes[0].outputs[0], "t"])
}

/// A BatchNormalization over axis 1 of a batched MatMul (not its feature axis), and one after a
/// Gemm whose B is computed, are left as they are: not even split into Mul and Add.
@Test func normalizationsThatCannotFoldStay() throws {
  let graph = try typedGraph(
    inputs: ["x": [2, 3, 4], "b": [2, 3]], outputs: ["y", "z"],
    nodes: [
      Node(name: "matmul", op: MatMul(), inputs: ["x", "w"], outputs: ["g"]),
      Node(
        name: "bn", op: BatchNormalization(), inputs: ["g", "scale", "bias", "mean", "var"],
        outputs: ["y"]),
      Node(name: "gemm", op: Gemm(), inputs: ["a", "b"], outputs: ["h"]),
      Node(
        name: "bn2", op: BatchNormalization(), inputs: ["h", "scale", "bias", "mean", "var"],
        outputs: ["z"]),
    ],
    constants: normConstants.merging([
      "w": sample([4, 5], seed: 1), "a": sample([4, 2], seed: 2),
    ]) { first, _ in first })
  let (result, folded) = try applying({ try $0.foldAffineIntoMatrixProducts() }, to: graph)
  #expect(folded == 0)
  #expect(opTypes(result) == ["MatMul", "BatchNormalization", "Gemm", "BatchNormalization"])
}

/// Convolutions fold a BatchNormalization the same way (the shared path), and a Conv without
/// bias gets one only from a shift.
@Test func batchNormalizationStillFoldsIntoAConv() throws {
  let graph = try typedGraph(
    inputs: ["x": [1, 1, 2, 2]], outputs: ["y"],
    nodes: [
      Node(name: "conv", op: Conv(), inputs: ["x", "w"], outputs: ["c"]), norm("c", "y"),
    ],
    constants: normConstants.merging(["w": Tensor([Float(1), 2, 3], shape: [3, 1, 1, 1])]) {
      first, _ in first
    })
  let (result, folded) = try applying({ try $0.foldAffineIntoConvolutions() }, to: graph)
  #expect(folded == 2)
  #expect(opTypes(result) == ["Conv"])
  #expect(floats(result, result.nodes[0].inputs[1]) == [0.5, 4, 0.375])
  #expect(floats(result, result.nodes[0].inputs[2]) == [-0.5, 1, -1.25])
  // The Conv pass leaves matrix products alone, and the other way round.
  let (untouched, none) = try applying({ try $0.foldAffineIntoMatrixProducts() }, to: graph)
  #expect(none == 0)
  #expect(opTypes(untouched) == ["Conv", "BatchNormalization"])
}
