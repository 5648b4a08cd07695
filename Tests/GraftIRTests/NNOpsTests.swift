import GraftIR
import Testing

/// Infers `op` over inputs of the given shapes (nil: omitted), float32 unless a constant says
/// otherwise; inputs 1 to 3 of Pad are int64.
private func infer(
  _ op: some Operator, _ shapes: [[Dim]?], constants: [Int: Tensor] = [:], outputs: Int = 1
) throws -> [ValueType] {
  try op.inferTypes(context(shapes, constants: constants, outputs: outputs, op: op))
}

private func context(
  _ shapes: [[Dim]?], constants: [Int: Tensor] = [:], outputs: Int = 1,
  op: (any Operator)? = nil
) -> InferenceContext {
  let types = shapes.indices.map { index -> ValueType? in
    if let constant = constants[index] { return constant.valueType }
    let dtype: DType = op is Pad && index > 0 && index != 2 ? .int64 : .float32
    return shapes[index].map { ValueType(dtype, $0) }
  }
  return InferenceContext(
    inputTypes: types, constants: shapes.indices.map { constants[$0] }, outputCount: outputs)
}

private func shape(_ op: some Operator, _ shapes: [[Dim]?], constants: [Int: Tensor] = [:])
  throws -> [Dim]?
{
  try infer(op, shapes, constants: constants).first?.shape
}

private func invalid(_ op: some Operator, _ shapes: [[Dim]?], containing text: String) {
  #expect {
    try infer(op, shapes)
  } throws: { error in
    guard case GraphError.invalidOperator(let message) = error else { return false }
    return message.contains(text)
  }
}

private func int64s(_ values: [Int64]) -> Tensor { Tensor(values, shape: [values.count]) }
private func floats(_ values: [Float]) -> Tensor { Tensor(values, shape: [values.count]) }

/// One shape inference case; expected shapes come from onnx 1.22's shape inference.
struct WindowCase: Sendable, CustomTestStringConvertible {
  let op: any Operator
  let inputs: [[Dim]]
  let expected: [Dim]
  init(_ op: any Operator, _ inputs: [[Dim]], _ expected: [Dim]) {
    self.op = op
    self.inputs = inputs
    self.expected = expected
  }
  var testDescription: String { "\(op.opType) \(inputs) → \(expected)" }
}

private let windowCases: [WindowCase] = [
  WindowCase(Conv(pads: [1, 1, 1, 1]), [[1, 3, 32, 32], [8, 3, 3, 3]], [1, 8, 32, 32]),
  WindowCase(Conv(strides: [2, 2]), [[1, 3, 32, 32], [8, 3, 3, 3]], [1, 8, 15, 15]),
  WindowCase(Conv(dilations: [2], group: 2), [[1, 4, 10], [6, 2, 3]], [1, 6, 6]),
  WindowCase(
    Conv(pads: [1, 0, 1, 1, 0, 1], strides: [2, 2, 2]), [[2, 3, 7, 8, 9], [4, 3, 3, 3, 3]],
    [2, 4, 4, 3, 5]),
  WindowCase(
    Conv(autoPad: .sameUpper, strides: [2, 2]), [[1, 3, 7, 7], [8, 3, 3, 3]], [1, 8, 4, 4]),
  WindowCase(Conv(autoPad: .sameLower), [[1, 3, 7, 7], [8, 3, 4, 4]], [1, 8, 7, 7]),
  WindowCase(
    Conv(autoPad: .valid, strides: [2, 2]), [[1, 3, 7, 7], [8, 3, 3, 3]], [1, 8, 3, 3]),
  WindowCase(ConvTranspose(strides: [2, 2]), [[1, 3, 5, 5], [3, 2, 3, 3]], [1, 2, 11, 11]),
  WindowCase(
    ConvTranspose(outputPadding: [1, 1], pads: [1, 1, 1, 1], strides: [2, 2]),
    [[1, 3, 5, 5], [3, 2, 3, 3]], [1, 2, 10, 10]),
  WindowCase(
    ConvTranspose(dilations: [2, 1], group: 2, strides: [3, 2]), [[1, 4, 5, 5], [4, 2, 3, 3]],
    [1, 4, 17, 11]),
  WindowCase(
    ConvTranspose(outputShape: [10, 8], strides: [2, 2]), [[1, 3, 5, 5], [3, 2, 3, 3]],
    [1, 2, 10, 8]),
  WindowCase(
    ConvTranspose(autoPad: .sameUpper, strides: [2, 2]), [[1, 3, 5, 6], [3, 2, 3, 3]],
    [1, 2, 10, 12]),
  WindowCase(ConvTranspose(strides: [3]), [[1, 3, 5], [3, 2, 3]], [1, 2, 15]),
  WindowCase(MaxPool(kernelShape: [3, 3], strides: [2, 2]), [[1, 3, 32, 32]], [1, 3, 15, 15]),
  WindowCase(
    MaxPool(kernelShape: [3, 3], ceilMode: true, strides: [2, 2]), [[1, 3, 32, 32]],
    [1, 3, 16, 16]),
  WindowCase(
    MaxPool(kernelShape: [2, 2], ceilMode: true, strides: [2, 2]), [[1, 3, 5, 5]], [1, 3, 3, 3]),
  WindowCase(MaxPool(kernelShape: [2], dilations: [2]), [[1, 3, 8]], [1, 3, 6]),
  WindowCase(
    MaxPool(kernelShape: [3, 3], autoPad: .sameUpper, strides: [2, 2]), [[1, 3, 7, 7]],
    [1, 3, 4, 4]),
  WindowCase(
    AveragePool(kernelShape: [2, 2, 2], strides: [2, 2, 2]), [[1, 3, 6, 6, 6]], [1, 3, 3, 3, 3]),
  WindowCase(
    AveragePool(kernelShape: [3, 3], countIncludePad: true, pads: [1, 1, 1, 1]), [[1, 3, 7, 7]],
    [1, 3, 7, 7]),
  WindowCase(
    AveragePool(kernelShape: [3, 3], ceilMode: true, pads: [1, 1, 1, 1], strides: [2, 2]),
    [[1, 3, 6, 6]], [1, 3, 4, 4]),
  WindowCase(
    AveragePool(kernelShape: [3, 3], autoPad: .valid, ceilMode: true, strides: [2, 2]),
    [[1, 3, 5, 5]], [1, 3, 2, 2]),
]

@Test(arguments: windowCases)
func slidingWindowShapes(_ testCase: WindowCase) throws {
  let types = try infer(testCase.op, testCase.inputs)
  #expect(types == [ValueType(.float32, testCase.expected)])
}

@Test func convKeepsSymbolicSizesWhenTheWindowPreservesThem() throws {
  let input: [Dim] = [.symbol("N"), 3, .symbol("H"), .symbol("W")]
  #expect(
    try shape(Conv(pads: [1, 1, 1, 1]), [input, [8, 3, 3, 3]])
      == [.symbol("N"), 8, .symbol("H"), .symbol("W")])
  #expect(
    try shape(Conv(autoPad: .sameUpper), [input, [8, 3, 4, 4]])
      == [.symbol("N"), 8, .symbol("H"), .symbol("W")])
  #expect(
    try shape(Conv(strides: [2, 2]), [input, [8, 3, 3, 3]])
      == [.symbol("N"), 8, .unknown, .unknown])
  #expect(
    try shape(Conv(), [input, [8, 3, .unknown, .unknown]]) == [.symbol("N"), 8, .unknown, .unknown])
  let unknownRank = InferenceContext(
    inputTypes: [ValueType(.float32, nil), ValueType(.float32, [8, 3, 3, 3])],
    constants: [nil, nil], outputCount: 1)
  #expect(
    try Conv().inferTypes(unknownRank) == [ValueType(.float32, [.unknown, 8, .unknown, .unknown])])
}

@Test func convChecksChannelsGroupsBiasAndKernel() {
  invalid(Conv(), [[1, 4, 8, 8], [8, 3, 3, 3]], containing: "input channels")
  invalid(Conv(group: 3), [[1, 4, 8, 8], [6, 2, 3, 3]], containing: "not divisible by group 3")
  invalid(Conv(), [[1, 3, 8, 8], [8, 3, 3, 3], [7]], containing: "B should have 8 elements")
  invalid(Conv(kernelShape: [5, 5]), [[1, 3, 8, 8], [8, 3, 3, 3]], containing: "kernel_shape")
  invalid(Conv(), [[1, 3, 8], [8, 3, 3, 3]], containing: "same rank")
  invalid(Conv(strides: [0, 1]), [[1, 3, 8, 8], [8, 3, 3, 3]], containing: "strides")
  invalid(
    Conv(autoPad: .valid, pads: [1, 1, 1, 1]), [[1, 3, 8, 8], [8, 3, 3, 3]],
    containing: "cannot be combined")
  invalid(Conv(), [[1, 3, 2, 2], [8, 3, 3, 3]], containing: "does not fit")
}

@Test func samePaddingResolvesToExplicitPads() throws {
  let conv = Conv(autoPad: .sameLower, strides: [2, 2])
  let fixed = context([[1, 3, 8, 7], [4, 3, 4, 3]])
  // Height: out 4, total (4−1)·2 + 4 − 8 = 2; width: out 4, total (4−1)·2 + 3 − 7 = 2.
  #expect(try conv.explicitPads(fixed) == [1, 1, 1, 1])
  let resolved = try conv.resolvingAutoPad(fixed)
  #expect(resolved.autoPad == .notSet && resolved.pads == [1, 1, 1, 1])
  #expect(try resolved.inferTypes(fixed) == conv.inferTypes(fixed))
  let odd = context([[1, 3, 8], [4, 3, 4]])
  #expect(try Conv(autoPad: .sameUpper).explicitPads(odd) == [1, 2])
  #expect(try Conv(autoPad: .sameLower).explicitPads(odd) == [2, 1])
  let symbolic = context([[1, 3, .symbol("L")], [4, 3, 4]])
  #expect(try Conv(autoPad: .sameUpper).resolvingAutoPad(symbolic) == Conv(autoPad: .sameUpper))
  let pool = MaxPool(kernelShape: [3, 3], autoPad: .sameUpper, strides: [2, 2])
  #expect(try pool.explicitPads(context([[1, 3, 7, 7]])) == [1, 1, 1, 1])
}

@Test func convTransposePadsFollowOutputShapeAndSame() throws {
  let inputs = context([[1, 3, 5, 5], [3, 2, 3, 3]])
  // Unpadded size 2·4 + 3 = 11; output_shape 10 and 8 remove 1 and 3.
  let shaped = ConvTranspose(outputShape: [10, 8], strides: [2, 2])
  #expect(try shaped.explicitPads(inputs) == [1, 2, 0, 1])
  let same = ConvTranspose(autoPad: .sameUpper, strides: [2, 2])
  #expect(try same.explicitPads(inputs) == [0, 0, 1, 1])
  let resolved = try same.resolvingAutoPad(inputs)
  #expect(try resolved.inferTypes(inputs) == [ValueType(.float32, [1, 2, 10, 10])])
  #expect(
    try shape(ConvTranspose(pads: [1, 1]), [[1, 3, .symbol("L")], [3, 2, 3]])
      == [1, 2, .symbol("L")])
}

@Test func windowFlops() throws {
  let conv = Conv(group: 2, pads: [1, 1, 1, 1])
  let convContext = context([[1, 4, 8, 8], [6, 2, 3, 3]])
  let convOutputs = try conv.inferTypes(convContext)
  #expect(conv.flops(convContext, outputs: convOutputs) == 2 * 6 * 64 * 2 * 9)
  let transpose = ConvTranspose(strides: [2])
  let transposeContext = context([[2, 3, 5], [3, 4, 3]])
  let transposeOutputs = try transpose.inferTypes(transposeContext)
  #expect(transpose.flops(transposeContext, outputs: transposeOutputs) == 2 * 2 * 3 * 5 * 4 * 3)
  let pool = MaxPool(kernelShape: [2, 2], strides: [2, 2])
  let poolContext = context([[1, 3, 8, 8]], outputs: 2)
  let poolOutputs = try pool.inferTypes(poolContext)
  #expect(pool.flops(poolContext, outputs: poolOutputs) == 3 * 16 * 4)
  let global = GlobalAveragePool()
  let globalContext = context([[2, 3, 7, 7]])
  #expect(global.flops(globalContext, outputs: try global.inferTypes(globalContext)) == 294)
}

@Test func maxPoolIndicesAndStorageOrder() throws {
  let types = try infer(MaxPool(kernelShape: [3, 3]), [[1, 3, 32, 32]], outputs: 2)
  #expect(types == [ValueType(.float32, [1, 3, 30, 30]), ValueType(.int64, [1, 3, 30, 30])])
  invalid(
    MaxPool(kernelShape: [3, 3], storageOrder: 2), [[1, 3, 8, 8]], containing: "storage_order")
  invalid(MaxPool(kernelShape: [3]), [[1, 3, 8, 8]], containing: "spatial axes")
}

@Test func globalPoolsReduceEverySpatialAxis() throws {
  #expect(
    try shape(GlobalAveragePool(), [[.symbol("N"), 512, 7, 7]]) == [.symbol("N"), 512, 1, 1])
  #expect(try shape(GlobalMaxPool(), [[2, 8, 5, 4, 3]]) == [2, 8, 1, 1, 1])
  invalid(GlobalMaxPool(), [[2, 8]], containing: "rank 3 or more")
}

// MARK: Normalisation

@Test func batchNormalizationTypesTrainingOutputsLikeTheStatistics() throws {
  let inputs: [[Dim]?] = [[2, 5, 8, 8], [5], [5], [5], [5]]
  let types = try infer(BatchNormalization(), inputs, outputs: 5)
  #expect(types[0] == ValueType(.float32, [2, 5, 8, 8]))
  #expect(types[1...].allSatisfy { $0 == ValueType(.float32, [5]) })
  #expect(try shape(BatchNormalization(), [[4, 5], [5], [5], [5], [5]]) == [4, 5])
  invalid(
    BatchNormalization(), [[2, 5, 8, 8], [5], [5], [4], [5]], containing: "mean should have 5")
  invalid(BatchNormalization(), [[2, 5, 8, 8], [5], [5], [5]], containing: "required")
}

@Test func instanceAndLocalResponseNormalizationKeepTheShape() throws {
  #expect(try shape(InstanceNormalization(), [[2, 4, 6, 6], [4], [4]]) == [2, 4, 6, 6])
  invalid(InstanceNormalization(), [[2, 4, 6, 6], [3], [4]], containing: "scale should have 4")
  #expect(try shape(LRN(size: 5), [[1, 96, 55, 55]]) == [1, 96, 55, 55])
  invalid(LRN(size: 0), [[1, 96, 55, 55]], containing: "size")
  let lrn = LRN(size: 5)
  let lrnContext = context([[1, 2, 3, 3]])
  #expect(lrn.flops(lrnContext, outputs: try lrn.inferTypes(lrnContext)) == 18 * 13)
}

@Test func layerNormalizationStatisticsKeepTheLeadingAxes() throws {
  let last = try infer(LayerNormalization(), [[2, 5, 8], [8], [8]], outputs: 3)
  let statistics = ValueType(.float32, [2, 5, 1])
  #expect(last == [ValueType(.float32, [2, 5, 8]), statistics, statistics])
  let fromOne = try infer(
    LayerNormalization(axis: 1, stashType: .float64), [[2, 5, 8], [5, 8]], outputs: 3)
  let stashed = ValueType(.float64, [2, 1, 1])
  #expect(fromOne == [ValueType(.float32, [2, 5, 8]), stashed, stashed])
  invalid(LayerNormalization(), [[2, 5, 8], [5]], containing: "does not broadcast")
  invalid(LayerNormalization(axis: 3), [[2, 5, 8], [8]], containing: "out of range")
}

// MARK: Matrix products

@Test(
  arguments: [
    ([3, 4], [4, 5], [3, 5]), ([4], [4, 5], [5]), ([3, 4], [4], [3]), ([4], [4], []),
    ([2, 1, 3, 4], [5, 4, 6], [2, 5, 3, 6]), ([7, 3, 4], [4, 6], [7, 3, 6]),
  ] as [([Dim], [Dim], [Dim])])
func matMulFollowsNumPy(_ a: [Dim], _ b: [Dim], _ expected: [Dim]) throws {
  #expect(try shape(MatMul(), [a, b]) == expected)
}

@Test func matMulRejectsMismatchesAndCountsFlops() throws {
  invalid(MatMul(), [[3, 4], [5, 6]], containing: "inner dims differ")
  invalid(MatMul(), [[2, 3, 4], [3, 4, 5]], containing: "do not broadcast")
  let batched = context([[.symbol("N"), 3, 4], [4, 6]])
  #expect(try MatMul().inferTypes(batched) == [ValueType(.float32, [.symbol("N"), 3, 6])])
  let fixed = context([[2, 3, 4], [4, 6]])
  #expect(MatMul().flops(fixed, outputs: try MatMul().inferTypes(fixed)) == 2 * 2 * 3 * 6 * 4)
}

@Test func gemmTransposesAndBroadcastsC() throws {
  #expect(try shape(Gemm(transA: true, transB: true), [[4, 3], [5, 4], [5]]) == [3, 5])
  #expect(try shape(Gemm(), [[3, 4], [4, 5], [3, 1]]) == [3, 5])
  #expect(try shape(Gemm(), [[.symbol("N"), 4], [4, 5]]) == [.symbol("N"), 5])
  invalid(Gemm(), [[3, 4], [5, 4]], containing: "inner dims differ")
  invalid(Gemm(), [[3, 4], [4, 5], [4, 5]], containing: "does not broadcast")
  invalid(Gemm(), [[3, 4, 1], [4, 5]], containing: "should be a matrix")
  let gemm = Gemm(transB: true)
  let withBias = context([[2, 8], [10, 8], [10]])
  #expect(gemm.flops(withBias, outputs: try gemm.inferTypes(withBias)) == 2 * 2 * 10 * 8 + 20)
}

// MARK: Einsum

@Test(
  arguments: [
    ("bij,bjk->bik", [[2, 3, 4], [2, 4, 5]], [2, 3, 5]),
    ("ij,jk", [[3, 4], [4, 5]], [3, 5]),
    ("bhid,bhjd->bhij", [[2, 8, 10, 16], [2, 8, 12, 16]], [2, 8, 10, 12]),
    ("i,i->", [[7], [7]], []),
    ("ij->ji", [[3, 4]], [4, 3]),
    ("ii", [[4, 4]], []),
    ("ba", [[3, 4]], [4, 3]),
    ("ij,kl", [[2, 3], [4, 5]], [2, 3, 4, 5]),
    (" i j , j k -> k i ", [[2, 3], [3, 5]], [5, 2]),
  ] as [(String, [[Dim]], [Dim])])
func einsumShapes(_ equation: String, _ inputs: [[Dim]], _ expected: [Dim]) throws {
  #expect(try shape(Einsum(equation: equation), inputs) == expected)
}

@Test func einsumParsesAndRejects() throws {
  let implicit = try Einsum.Equation(parsing: "bj,ja")
  #expect(implicit.inputs == [["b", "j"], ["j", "a"]] && implicit.output == ["a", "b"])
  invalid(Einsum(equation: "...ij,...jk->...ik"), [[2, 3], [3, 4]], containing: "ellipsis")
  invalid(
    Einsum(equation: "ij,jk->il"), [[2, 3], [3, 4]], containing: "'l' appears in no operand")
  invalid(Einsum(equation: "ij,jk->ii"), [[2, 3], [3, 4]], containing: "repeats")
  invalid(Einsum(equation: "ij,jk"), [[2, 3], [4, 5]], containing: "size 3 and 4")
  invalid(Einsum(equation: "ij,jk"), [[2, 3]], containing: "2 operands")
  invalid(Einsum(equation: "ij"), [[2, 3, 4]], containing: "but 2 labels")
  invalid(Einsum(equation: "i1"), [[2, 3]], containing: "'1'")
  let symbolic = try shape(Einsum(equation: "bij,bjk->bik"), [[.symbol("B"), 3, 4], [2, 4, 5]])
  #expect(symbolic == [2, 3, 5])
}

@Test func einsumFlopsCountNaiveEvaluation() throws {
  let product = Einsum(equation: "bij,bjk->bik")
  let productContext = context([[2, 3, 4], [2, 4, 5]])
  #expect(
    product.flops(productContext, outputs: try product.inferTypes(productContext))
      == 2 * 2 * 3 * 4 * 5)
  let transpose = Einsum(equation: "ij->ji")
  let transposeContext = context([[3, 4]])
  #expect(
    transpose.flops(transposeContext, outputs: try transpose.inferTypes(transposeContext)) == 0)
}

// MARK: Resize and Pad

@Test func resizeFromScalesFloorsEachSize() throws {
  let x: [Dim]? = [1, 3, 10, 15]
  #expect(
    try shape(Resize(), [x, nil, [4]], constants: [2: floats([1, 1, 0.5, 2.5])]) == [1, 3, 5, 37])
  #expect(
    try shape(Resize(), [x, nil, [4]], constants: [2: floats([1, 1, 0.333, 1.7])])
      == [1, 3, 3, 25])
  #expect(
    try shape(
      Resize(), [[.symbol("N"), 3, 10, 15], nil, [4]], constants: [2: floats([1, 1, 2, 2])])
      == [.symbol("N"), 3, 20, 30])
  #expect(try shape(Resize(), [x, nil, [4]]) == [.unknown, .unknown, .unknown, .unknown])
  #expect(
    try shape(Resize(axes: [-1]), [x, nil, [1]], constants: [2: floats([2])]) == [1, 3, 10, 30])
}

@Test func resizeFromSizesWithAspectRatioPolicies() throws {
  let x: [Dim]? = [1, 3, 10, 15]
  let sizes = [3: int64s([20, 45])]
  #expect(
    try shape(Resize(axes: [2, 3]), [x, nil, nil, [2]], constants: sizes) == [1, 3, 20, 45])
  let notLarger = Resize(axes: [2, 3], keepAspectRatioPolicy: .notLarger)
  #expect(try shape(notLarger, [x, nil, nil, [2]], constants: sizes) == [1, 3, 20, 30])
  let notSmaller = Resize(axes: [2, 3], keepAspectRatioPolicy: .notSmaller)
  #expect(
    try shape(notSmaller, [x, nil, nil, [2]], constants: [3: int64s([7, 7])]) == [1, 3, 7, 11])
  // Opsets 11 and 12 pass an empty scales constant when sizes are given.
  let both = [2: floats([]), 3: int64s([1, 3, 4, 4])]
  #expect(try shape(Resize(), [x, nil, [0], [4]], constants: both) == [1, 3, 4, 4])
  let symbolic = InferenceContext(
    inputTypes: [ValueType(.float32, x), nil, nil, ValueType(.int64, [4])],
    constants: [nil, nil, nil, nil], shapeValues: [nil, nil, nil, [.symbol("N"), 3, 8, 8]],
    outputCount: 1)
  #expect(try Resize().inferTypes(symbolic) == [ValueType(.float32, [.symbol("N"), 3, 8, 8])])
}

@Test func resizeRejectsBadInputs() {
  invalid(Resize(), [[1, 3, 4, 4]], containing: "neither is given")
  let both = [2: floats([1, 1, 2, 2]), 3: int64s([1, 3, 8, 8])]
  #expect(throws: GraphError.self) {
    try infer(Resize(), [[1, 3, 4, 4], nil, [4], [4]], constants: both)
  }
  #expect(throws: GraphError.invalidOperator("scales has 2 values for 4 resized axes")) {
    try infer(Resize(), [[1, 3, 4, 4], nil, [2]], constants: [2: floats([2, 2])])
  }
  #expect(throws: GraphError.self) {
    try infer(
      Resize(coordinateTransformationMode: .tfCropAndResize), [[1, 3, 4, 4], nil, [4]],
      constants: [2: floats([1, 1, 2, 2])])
  }
}

@Test func padGrowsOrCropsThePaddedAxes() throws {
  let x: [Dim]? = [1, 3, 4, 5]
  #expect(
    try shape(Pad(mode: .reflect), [x, [8]], constants: [1: int64s([0, 0, 1, 2, 0, 0, 3, -1])])
      == [1, 3, 8, 6])
  #expect(
    try shape(
      Pad(), [x, [4], nil, [2]], constants: [1: int64s([1, 2, 3, 4]), 3: int64s([-2, 3])])
      == [1, 3, 8, 11])
  #expect(
    try shape(Pad(), [[.symbol("N"), 3, 4], [6]], constants: [1: int64s([0, 0, 1, 0, 0, 1])])
      == [.symbol("N"), 3, 6])
  #expect(try shape(Pad(), [x, [8]]) == [.unknown, .unknown, .unknown, .unknown])
  #expect(throws: GraphError.self) {
    try infer(Pad(), [x, [4]], constants: [1: int64s([0, 0, 1, 1])])
  }
  #expect(throws: GraphError.self) {
    try infer(Pad(), [[2, 3], [4]], constants: [1: int64s([0, -2, 0, -2])])
  }
  let pad = Pad(mode: .wrap)
  let padContext = context([x, [8]], constants: [1: int64s([0, 0, 1, 1, 0, 0, 1, 1])])
  #expect(pad.flops(padContext, outputs: try pad.inferTypes(padContext)) == 0)
}
