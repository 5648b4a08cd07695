import GraftIR
import Testing

@testable import GraftONNX

private func node(
  _ opType: String, opset: Int, inputs: [String] = ["x"],
  _ attributes: [String: ONNXAttribute] = [:]
) -> ONNXNode {
  ONNXNode(
    name: "n", opType: opType, domain: "", opset: opset, inputs: inputs, outputs: ["y"],
    attributes: attributes)
}

private func load<Op: ONNXImportable>(
  _ type: Op.Type, opset: Int, inputs: [String] = ["x"], _ attributes: [String: ONNXAttribute] = [:]
) throws -> (Op, ONNXNode) {
  var onnx = node(Op.opType, opset: opset, inputs: inputs, attributes)
  let op = try Op.fromONNX(&onnx)
  return (op, onnx)
}

private let attributeFreeTypes: [any ONNXImportable.Type] = [
  Relu.self, Sigmoid.self, Tanh.self, Erf.self, Sqrt.self, Exp.self, Log.self, Abs.self, Neg.self,
  Reciprocal.self, Floor.self, Ceil.self, Not.self, HardSwish.self, PRelu.self, Add.self, Sub.self,
  Mul.self, Div.self, Pow.self, Equal.self, Less.self, Greater.self, Sum.self, Mean.self,
  Min.self, Max.self, Where.self,
]

@Test(arguments: attributeFreeTypes)
func attributeFreeOpsImportWithoutTouchingInputs(type: any ONNXImportable.Type) throws {
  var onnx = node(type.opType, opset: 13, inputs: ["a", "b"])
  let op = try type.fromONNX(&onnx)
  #expect(op.opType == type.opType)
  #expect(onnx.inputs == ["a", "b"])
  #expect(onnx.newConstants.isEmpty)
}

private let binaryTypes: [any ONNXImportable.Type] = [
  Add.self, Sub.self, Mul.self, Div.self, Pow.self, Equal.self, Less.self, Greater.self,
]

@Test(arguments: binaryTypes)
func preOpset7BroadcastAttributesAreRejected(type: any ONNXImportable.Type) {
  for key in ["broadcast", "axis"] {
    var onnx = node(type.opType, opset: 7, inputs: ["a", "b"], [key: .int(1)])
    let message =
      "attribute '\(key)' is the broadcasting form of opsets before 7, which Graft does not read; "
      + "re-export the model with opset 7 or newer"
    #expect(throws: GraphError.invalidOperator(message)) { try type.fromONNX(&onnx) }
  }
}

@Test func activationAttributesAndDefaults() throws {
  #expect(try load(LeakyRelu.self, opset: 16).0 == LeakyRelu(alpha: 0.01))
  #expect(try load(LeakyRelu.self, opset: 6, ["alpha": .float(0.2)]).0.alpha == 0.2)
  #expect(try load(Elu.self, opset: 22).0 == Elu(alpha: 1))
  #expect(try load(Elu.self, opset: 6, ["alpha": .float(0.5)]).0.alpha == 0.5)
  #expect(try load(Selu.self, opset: 6).0 == Selu())
  let selu = try load(Selu.self, opset: 22, ["alpha": .float(2), "gamma": .float(3)]).0
  #expect(selu == Selu(alpha: 2, gamma: 3))
  #expect(try load(HardSigmoid.self, opset: 6).0 == HardSigmoid(alpha: 0.2, beta: 0.5))
  let hard = try load(HardSigmoid.self, opset: 22, ["alpha": .float(1.0 / 6)]).0
  #expect(hard == HardSigmoid(alpha: 1.0 / 6, beta: 0.5))
}

@Test func geluReadsItsApproximation() throws {
  #expect(try load(Gelu.self, opset: 20).0.approximate == .exact)
  #expect(try load(Gelu.self, opset: 20, ["approximate": .string("none")]).0.approximate == .exact)
  #expect(try load(Gelu.self, opset: 20, ["approximate": .string("tanh")]).0.approximate == .tanh)
  #expect(
    throws: GraphError.invalidOperator(
      "attribute 'approximate' must be \"none\" or \"tanh\", got \"erf\"")
  ) {
    try load(Gelu.self, opset: 20, ["approximate": .string("erf")])
  }
}

// Softmax-13 normalises along `axis` (default −1); before, along everything from `axis` (default 1).
private let softmaxSpellings: [(opset: Int, axis: Int?, expected: Softmax)] = [
  (13, nil, Softmax(axis: -1, coerceTo2D: false)),
  (13, 1, Softmax(axis: 1, coerceTo2D: false)),
  (11, nil, Softmax(axis: 1, coerceTo2D: true)),
  (11, -1, Softmax(axis: -1, coerceTo2D: false)),
  (7, 2, Softmax(axis: 2, coerceTo2D: true)),
  (12, -2, Softmax(axis: -2, coerceTo2D: true)),
]

@Test(arguments: softmaxSpellings)
func softmaxKeepsTheOldAxisMeaning(opset: Int, axis: Int?, expected: Softmax) throws {
  let attributes: [String: ONNXAttribute] = axis.map { ["axis": .int($0)] } ?? [:]
  #expect(try load(Softmax.self, opset: opset, attributes).0 == expected)
  let log = try load(LogSoftmax.self, opset: opset, attributes).0
  #expect(log == LogSoftmax(axis: expected.axis, coerceTo2D: expected.coerceTo2D))
}

@Test func clipAttributesBecomeConstantInputs() throws {
  let (_, both) = try load(Clip.self, opset: 6, ["min": .float(0), "max": .float(6)])
  #expect(both.inputs == ["x", "n/min", "n/max"])
  #expect(both.newConstants["n/min"]?.elements(as: Float.self) == [0])
  #expect(both.newConstants["n/max"]?.elements(as: Float.self) == [6])
  #expect(both.newConstants["n/max"]?.shape == [])

  let (_, upper) = try load(Clip.self, opset: 6, ["max": .float(6)])
  #expect(upper.inputs == ["x", "", "n/max"])

  let unbounded: [String: ONNXAttribute] = [
    "min": .float(-.greatestFiniteMagnitude), "max": .float(.greatestFiniteMagnitude),
  ]
  #expect(try load(Clip.self, opset: 6, unbounded).1.inputs == ["x"])
  #expect(try load(Clip.self, opset: 6).1.inputs == ["x"])
  #expect(try load(Clip.self, opset: 13, inputs: ["x", "", "hi"]).1.inputs == ["x", "", "hi"])

  #expect(
    throws: GraphError.invalidOperator(
      "Clip takes min and max as inputs since opset 11, not as attributes")
  ) {
    try load(Clip.self, opset: 11, ["min": .float(0)])
  }
  #expect(throws: GraphError.self) { try load(Clip.self, opset: 6, inputs: ["x", "lo"]) }
}

private let castCodes: [(code: Int, dtype: DType)] = [
  (1, .float32), (2, .uint8), (3, .int8), (6, .int32), (7, .int64), (9, .bool), (10, .float16),
  (11, .float64),
]

@Test(arguments: castCodes)
func castMapsOnnxTypeCodes(code: Int, dtype: DType) throws {
  #expect(try load(Cast.self, opset: 13, ["to": .int(code)]).0 == Cast(to: dtype))
  #expect(try load(Cast.self, opset: 19, ["to": .int(code), "saturate": .int(0)]).0.to == dtype)
}

@Test func castRejectsTypesOutsideTheIR() {
  let message =
    "Cast to BFLOAT16 (type code 16) is not supported; Graft's element types are "
    + "float32, float16, float64, int8, uint8, int32, int64, bool"
  #expect(throws: GraphError.invalidOperator(message)) {
    try load(Cast.self, opset: 13, ["to": .int(16)])
  }
  #expect(throws: GraphError.self) { try load(Cast.self, opset: 13, ["to": .int(8)]) }
  #expect(throws: GraphError.invalidOperator("Cast needs the attribute 'to'")) {
    try load(Cast.self, opset: 13)
  }
}

// ReduceSum took axes as an input from opset 13, the other reductions from opset 18.
private let reductionSpellings: [(type: any ONNXImportable.Type, attributeOpsets: [Int])] = [
  (ReduceSum.self, [7, 11, 12]),
  (ReduceMean.self, [7, 13, 17]),
  (ReduceMax.self, [11, 13, 17]),
  (ReduceMin.self, [12, 17]),
  (ReduceL2.self, [7, 13, 17]),
]

@Test(arguments: reductionSpellings)
func reductionAxesAttributeBecomesAnInput(
  type: any ONNXImportable.Type, attributeOpsets: [Int]
) throws {
  for opset in attributeOpsets {
    var onnx = node(type.opType, opset: opset, ["axes": .ints([1, -1]), "keepdims": .int(0)])
    let op = try #require(try type.fromONNX(&onnx) as? any ReductionOperator)
    #expect(!op.keepdims)
    #expect(!op.noopWithEmptyAxes)
    #expect(onnx.inputs == ["x", "n/axes"])
    #expect(onnx.newConstants["n/axes"]?.elements(as: Int64.self) == [1, -1])
  }
  let inputOpset = attributeOpsets.last! + 1
  var modern = node(type.opType, opset: inputOpset, inputs: ["x", "axes"])
  let op = try #require(try type.fromONNX(&modern) as? any ReductionOperator)
  #expect(op.keepdims)
  #expect(modern.inputs == ["x", "axes"])
  var stale = node(type.opType, opset: inputOpset, ["axes": .ints([1])])
  let message =
    "\(type.opType) takes axes as an input since opset \(inputOpset), not as an attribute"
  #expect(throws: GraphError.invalidOperator(message)) { try type.fromONNX(&stale) }
}

@Test func reductionReadsNoopWithEmptyAxes() throws {
  let (op, onnx) = try load(ReduceMax.self, opset: 18, ["noop_with_empty_axes": .int(1)])
  #expect(op == ReduceMax(keepdims: true, noopWithEmptyAxes: true))
  #expect(onnx.inputs == ["x"])
  #expect(try load(ReduceSum.self, opset: 11).1.inputs == ["x"])
}

@Test func argMaxAttributes() throws {
  #expect(try load(ArgMax.self, opset: 13).0 == ArgMax(axis: 0, keepdims: true))
  let explicit = try load(
    ArgMax.self, opset: 12,
    ["axis": .int(-1), "keepdims": .int(0), "select_last_index": .int(1)]
  ).0
  #expect(explicit == ArgMax(axis: -1, keepdims: false, selectLastIndex: true))
}
