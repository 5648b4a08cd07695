import Testing

@testable import GraftIR

/// A context whose constant inputs are typed by their values.
private func context(_ types: [ValueType?], shapeValues: [[Dim]?]? = nil) -> InferenceContext {
  InferenceContext(
    inputTypes: types, constants: Array(repeating: nil, count: types.count),
    shapeValues: shapeValues, outputCount: 1)
}

private func constants(_ tensors: [Tensor]) -> InferenceContext {
  InferenceContext(inputTypes: tensors.map(\.valueType), constants: tensors, outputCount: 1)
}

private func fold(_ op: some ConstantFoldable, _ tensors: [Tensor]) throws -> Tensor? {
  try op.fold(constants(tensors))?.first
}

private let batch = Dim.symbol("N")

// MARK: Unary

private let unaryOps: [(any UnaryElementwiseOperator, acceptsInt64: Bool)] = [
  (Relu(), true), (Sigmoid(), false), (Tanh(), false), (Erf(), false), (Sqrt(), false),
  (Exp(), false), (Log(), false), (Abs(), true), (Neg(), true), (Reciprocal(), false),
  (Floor(), false), (Ceil(), false), (HardSwish(), false), (LeakyRelu(), false), (Elu(), false),
  (Selu(), false), (HardSigmoid(), false), (Gelu(), false),
]

@Test(arguments: unaryOps)
func unaryOpsKeepTheInputType(op: any UnaryElementwiseOperator, acceptsInt64: Bool) throws {
  let input = ValueType(.float32, [batch, 3, .unknown])
  #expect(try op.inferTypes(context([input])) == [input])
  let integers = ValueType(.int64, [2])
  if acceptsInt64 {
    #expect(try op.inferTypes(context([integers])) == [integers])
  } else {
    let message = "input has element type int64; expected float32, float16 or float64"
    #expect(throws: GraphError.invalidOperator(message)) {
      try op.inferTypes(context([integers]))
    }
  }
  #expect(op.flops(context([input]), outputs: [ValueType(.float32, [2, 3, 4])]) == 24)
}

@Test func notTakesOnlyBool() throws {
  #expect(try Not().inferTypes(context([ValueType(.bool, [3])])) == [ValueType(.bool, [3])])
  #expect(throws: GraphError.self) { try Not().inferTypes(context([ValueType(.int64, [3])])) }
  #expect(throws: GraphError.self) { try Relu().inferTypes(context([ValueType(.uint8, [3])])) }
  #expect(try Abs().inferTypes(context([ValueType(.uint8, [3])])) == [ValueType(.uint8, [3])])
}

@Test func activationDefaultsAreOnnxDefaults() {
  #expect(LeakyRelu().alpha == 0.01)
  #expect(Elu().alpha == 1)
  #expect(Selu().alpha == Float(1.67326319217681884765625))
  #expect(Selu().gamma == Float(1.05070102214813232421875))
  #expect(HardSigmoid() == HardSigmoid(alpha: 0.2, beta: 0.5))
  #expect(Gelu().approximate.rawValue == "none")
  #expect(Softmax() == Softmax(axis: -1, coerceTo2D: false))
}

@Test func unaryFoldsWrapIntegersLikeC() throws {
  let int8 = Tensor([Int8(-128), -3, 5], shape: [3])
  #expect(try fold(Abs(), [int8])?.integers() == [-128, 3, 5])
  #expect(try fold(Neg(), [int8])?.integers() == [-128, 3, -5])
  #expect(try fold(Neg(), [Tensor([Float(1.5)], shape: [1])])?.doubles() == [-1.5])
  let flags = try fold(Not(), [Tensor([true, false], shape: [2])])
  #expect(flags?.dtype == .bool)
  #expect(flags?.integers() == [0, 1])
}

// MARK: Binary

@Test func binaryOpsBroadcastLikeNumPy() throws {
  let a = ValueType(.float32, [batch, 3, 1])
  let b = ValueType(.float32, [4])
  #expect(try Add().inferTypes(context([a, b])) == [ValueType(.float32, [batch, 3, 4])])
  #expect(try Equal().inferTypes(context([a, b])) == [ValueType(.bool, [batch, 3, 4])])
  #expect(try Greater().inferTypes(context([a, b])) == [ValueType(.bool, [batch, 3, 4])])
  #expect(
    try Mul().inferTypes(context([a, ValueType(.float32, nil)])) == [ValueType(.float32, nil)])
  #expect(throws: GraphError.invalidOperator("shapes do not broadcast: 3 against 5")) {
    try Sub().inferTypes(context([a, ValueType(.float32, [5, 1])]))
  }
  #expect(
    throws: GraphError.invalidOperator("input A is float32 but input B is int64; they must match")
  ) {
    try Div().inferTypes(context([a, ValueType(.int64, [1])]))
  }
  #expect(throws: GraphError.self) {
    try Less().inferTypes(context([ValueType(.bool, [1]), ValueType(.bool, [1])]))
  }
  #expect(
    try Equal().inferTypes(context([ValueType(.bool, [2]), ValueType(.bool, [2])]))
      == [ValueType(.bool, [2])])
}

@Test func powTakesAnExponentOfAnotherType() throws {
  let base = ValueType(.float32, [2, 3])
  let exponent = ValueType(.int64, [])
  #expect(try Pow().inferTypes(context([base, exponent])) == [base])
  #expect(throws: GraphError.self) {
    try Pow().inferTypes(context([ValueType(.uint8, [2]), exponent]))
  }
}

@Test func arithmeticFoldsWithBroadcasting() throws {
  let matrix = Tensor([Int64(1), 2, 3, 4, 5, 6], shape: [2, 3])
  let column = Tensor([Int64(10), 20], shape: [2, 1])
  let sum = try fold(Add(), [matrix, column])
  #expect(sum?.shape == [2, 3])
  #expect(sum?.integers() == [11, 12, 13, 24, 25, 26])
  #expect(try fold(Sub(), [matrix, Tensor(scalar: Int64(1))])?.integers() == [0, 1, 2, 3, 4, 5])
  #expect(
    try fold(Mul(), [Tensor([Float(1.5), 2], shape: [2]), Tensor([Float(2)], shape: [1])])?
      .elements(as: Float.self) == [3, 4])
}

@Test func integerDivisionTruncatesTowardZero() throws {
  // The ONNX reference (onnx/reference/ops/op_div.py) truncates: −7 / 2 = −3, not NumPy's −4.
  let quotient = try fold(
    Div(), [Tensor([Int64(-7), 7, 7, -7], shape: [4]), Tensor([Int64(2), 2, -2, -2], shape: [4])])
  #expect(quotient?.integers() == [-3, 3, -3, 3])
  #expect(try fold(Div(), [Tensor([Int32(1)], shape: [1]), Tensor([Int32(0)], shape: [1])]) == nil)
  let real = try fold(Div(), [Tensor([1.0, -1.0], shape: [2]), Tensor([0.0, 4.0], shape: [2])])
  #expect(real?.doubles() == [.infinity, -0.25])
}

@Test func narrowIntegersWrapWhenFolded() throws {
  let big = Tensor([Int32.max], shape: [1])
  #expect(try fold(Add(), [big, Tensor([Int32(1)], shape: [1])])?.integers() == [Int64(Int32.min)])
  #expect(
    try fold(Sub(), [Tensor([UInt8(3)], shape: [1]), Tensor([UInt8(5)], shape: [1])])?
      .integers() == [254])
}

@Test func comparisonsFoldToBool() throws {
  let a = Tensor([Int64(1), 2, 3], shape: [3])
  let b = Tensor(scalar: Int64(2))
  #expect(try fold(Equal(), [a, b])?.integers() == [0, 1, 0])
  #expect(try fold(Less(), [a, b])?.integers() == [1, 0, 0])
  let greater = try fold(Greater(), [a, b])
  #expect(greater?.dtype == .bool)
  #expect(greater?.integers() == [0, 0, 1])
  let nan = Tensor([Float.nan, 1], shape: [2])
  #expect(try fold(Equal(), [nan, nan])?.integers() == [0, 1])
}

@Test func foldingDeclinesLargeOrUnknownInputs() throws {
  let large = Tensor([Float](repeating: 1, count: 4097), shape: [4097])
  #expect(try fold(Add(), [large, Tensor([Float(1)], shape: [1])]) == nil)
  let partlyKnown = InferenceContext(
    inputTypes: [ValueType(.int64, [1]), ValueType(.int64, [1])],
    constants: [Tensor([Int64(1)], shape: [1]), nil], outputCount: 1)
  #expect(try Add().fold(partlyKnown) == nil)
}

// MARK: Shape values

@Test func shapeArithmeticKeepsSymbolicDims() {
  let dims = ValueType(.int64, [2])
  let batchAnd512: [[Dim]?] = [[batch, 512], [1, 2]]
  #expect(Mul().shapeValues(context([dims, dims], shapeValues: batchAnd512)) == [[batch, 1024]])
  #expect(Div().shapeValues(context([dims, dims], shapeValues: batchAnd512)) == [[batch, 256]])
  #expect(
    Add().shapeValues(context([dims, dims], shapeValues: [[batch, 3], [0, 1]])) == [[batch, 4]])
  #expect(
    Sub().shapeValues(context([dims, dims], shapeValues: [[batch, 3], [1, 1]]))
      == [[.unknown, 2]])
  #expect(Div().shapeValues(context([dims, dims], shapeValues: [[batch], [2]])) == [nil])
  let floats = ValueType(.float32, [2])
  #expect(Mul().shapeValues(context([floats, floats], shapeValues: batchAnd512)) == [nil])
}

@Test func shapeArithmeticBroadcastsAScalarOperand() {
  let dims = ValueType(.int64, [3])
  let scalar = ValueType(.int64, [])
  let product = InferenceContext(
    inputTypes: [dims, scalar], constants: [nil, Tensor(scalar: Int64(2))],
    shapeValues: [[batch, 3, 4], nil], outputCount: 1)
  #expect(Mul().shapeValues(product) == [[.unknown, 6, 8]])
  #expect(
    Mul().shapeValues(context([scalar, dims], shapeValues: [[1], [batch, 3, 4]]))
      == [[batch, 3, 4]])
}

// MARK: Variadic

@Test func variadicOpsBroadcastAllInputs() throws {
  let types = [ValueType(.float32, [batch, 1]), ValueType(.float32, [3]), ValueType(.float32, [])]
  #expect(try Sum().inferTypes(context(types)) == [ValueType(.float32, [batch, 3])])
  #expect(try Mean().inferTypes(context(types)) == [ValueType(.float32, [batch, 3])])
  #expect(try Max().inferTypes(context([ValueType(.int64, [2])])) == [ValueType(.int64, [2])])
  #expect(throws: GraphError.self) { try Sum().inferTypes(context([ValueType(.int64, [2])])) }
  #expect(throws: GraphError.invalidOperator("Min needs at least one input")) {
    try Min().inferTypes(context([]))
  }
  #expect(throws: GraphError.self) {
    try Max().inferTypes(context([ValueType(.int64, [2]), ValueType(.int32, [2])]))
  }
}

@Test func minAndMaxFoldAndPropagateNaN() throws {
  let a = Tensor([Int64(1), 5, 3], shape: [3])
  let b = Tensor([Int64(4), 2, 3], shape: [3])
  let c = Tensor(scalar: Int64(2))
  #expect(try fold(Min(), [a, b, c])?.integers() == [1, 2, 2])
  #expect(try fold(Max(), [a, b, c])?.integers() == [4, 5, 3])
  let floats = try fold(Max(), [Tensor([Float.nan, 1], shape: [2]), Tensor(scalar: Float(2))])
  #expect(floats?.doubles().first?.isNaN == true)
  #expect(floats?.doubles().last == 2)
}

// MARK: Where, Cast

@Test func whereBroadcastsConditionAndBranches() throws {
  let condition = ValueType(.bool, [batch, 1])
  let x = ValueType(.int64, [1, 4])
  #expect(
    try Where().inferTypes(context([condition, x, ValueType(.int64, [])]))
      == [ValueType(.int64, [batch, 4])])
  #expect(
    throws: GraphError.invalidOperator(
      "condition has element type float32; expected bool")
  ) {
    try Where().inferTypes(context([ValueType(.float32, [1]), x, x]))
  }
  #expect(throws: GraphError.self) {
    try Where().inferTypes(context([condition, x, ValueType(.float32, [1])]))
  }
  let folded = try fold(
    Where(),
    [
      Tensor([true, false], shape: [2, 1]), Tensor([Float(1), 2], shape: [2]),
      Tensor(scalar: Float(-1)),
    ])
  #expect(folded?.shape == [2, 2])
  #expect(folded?.elements(as: Float.self) == [1, 2, -1, -1])
}

@Test func castConvertsLikeC() throws {
  #expect(
    try Cast(to: .int32).inferTypes(context([ValueType(.float32, [batch])]))
      == [ValueType(.int32, [batch])])
  let floats = Tensor([Float(2.7), -2.7, 0], shape: [3])
  #expect(try fold(Cast(to: .int64), [floats])?.integers() == [2, -2, 0])
  #expect(try fold(Cast(to: .bool), [floats])?.integers() == [1, 1, 0])
  #expect(try fold(Cast(to: .float32), [Tensor([true, false], shape: [2])])?.doubles() == [1, 0])
  #expect(try fold(Cast(to: .uint8), [Tensor([Int64(300)], shape: [1])])?.integers() == [44])
  let exact = try fold(Cast(to: .int32), [Tensor([Int64(1) << 40 + 7], shape: [1])])
  #expect(exact?.integers() == [7])
}

@Test func castPassesShapeValuesBetweenIntegerTypes() {
  let dims = ValueType(.int64, [2])
  #expect(
    Cast(to: .int32).shapeValues(context([dims], shapeValues: [[batch, 512]])) == [[batch, 512]])
  #expect(
    Cast(to: .int8).shapeValues(context([dims], shapeValues: [[batch, 512]])) == [
      [batch, .unknown]
    ])
  #expect(Cast(to: .float32).shapeValues(context([dims], shapeValues: [[batch, 512]])) == [nil])
}

// MARK: Activations with inputs or axes

@Test func preluSlopeBroadcastsToTheInputOnly() throws {
  let x = ValueType(.float32, [batch, 3, 8, 8])
  #expect(try PRelu().inferTypes(context([x, ValueType(.float32, [3, 1, 1])])) == [x])
  #expect(try PRelu().inferTypes(context([x, ValueType(.float32, [1])])) == [x])
  #expect(
    throws: GraphError.invalidOperator(
      "slope of shape [4, 1, 1] does not broadcast to X of shape [N, 3, 8, 8]")
  ) {
    try PRelu().inferTypes(context([x, ValueType(.float32, [4, 1, 1])]))
  }
  #expect(throws: GraphError.self) {
    try PRelu().inferTypes(context([ValueType(.float32, [3]), ValueType(.float32, [2, 3])]))
  }
}

@Test func clipBoundsAreScalarsOfTheInputType() throws {
  let x = ValueType(.float32, [batch, 16])
  let bound = ValueType(.float32, [])
  #expect(try Clip().inferTypes(context([x])) == [x])
  #expect(try Clip().inferTypes(context([x, nil, bound])) == [x])
  #expect(try Clip().inferTypes(context([x, bound, bound])) == [x])
  #expect(throws: GraphError.invalidOperator("min must be a scalar, got shape [2]")) {
    try Clip().inferTypes(context([x, ValueType(.float32, [2])]))
  }
  #expect(
    throws: GraphError.invalidOperator("input is float32 but max is float16; they must match")
  ) {
    try Clip().inferTypes(context([x, nil, ValueType(.float16, [])]))
  }
}

@Test func softmaxAxesKeepBothMeanings() throws {
  let x = ValueType(.float32, [batch, 4, 5])
  #expect(try Softmax().inferTypes(context([x])) == [x])
  #expect(try Softmax(axis: 1).normalizedAxes(rank: 3) == 1..<2)
  #expect(try LogSoftmax(axis: 1, coerceTo2D: true).normalizedAxes(rank: 3) == 1..<3)
  #expect(try LogSoftmax(axis: -1, coerceTo2D: true).normalizedAxes(rank: 3) == 2..<3)
  #expect(throws: GraphError.invalidOperator("axis 3 is out of range for rank 3")) {
    try LogSoftmax(axis: 3).inferTypes(context([x]))
  }
  #expect(throws: GraphError.self) { try Softmax().inferTypes(context([ValueType(.int64, [2])])) }
}

@Test func shapeArithmeticChainsFoldIntoOneConstant() throws {
  // min(dims · 2, 6) cast to int32, as exporters compute a clamped Reshape target.
  var graph = Graph(
    outputs: [ValueInfo(name: "target", type: .unknown)],
    nodes: [
      Node(name: "double", op: Mul(), inputs: ["dims", "two"], outputs: ["doubled"]),
      Node(name: "small", op: Less(), inputs: ["doubled", "six"], outputs: ["fits"]),
      Node(name: "clamp", op: Where(), inputs: ["fits", "doubled", "six"], outputs: ["clamped"]),
      Node(name: "cast", op: Cast(to: .int32), inputs: ["clamped"], outputs: ["target"]),
    ],
    constants: [
      "dims": Tensor([Int64(1), 3, 5], shape: [3]), "two": Tensor(scalar: Int64(2)),
      "six": Tensor(scalar: Int64(6)),
    ])
  #expect(try graph.foldConstants() == 4)
  #expect(graph.nodes.isEmpty)
  #expect(graph.constants["target"]?.dtype == .int32)
  #expect(graph.constants["target"]?.integers() == [2, 6, 6])
}
