import Testing

@testable import GraftIR

private let batch = Dim.symbol("N")
private let data = ValueType(.float32, [batch, 3, 4])

/// A reduction's context: `data`, then `axes` as a constant when given.
private func reduction(_ axes: [Int64]?, data: ValueType = data) -> InferenceContext {
  guard let axes else {
    return InferenceContext(inputTypes: [data], constants: [nil], outputCount: 1)
  }
  let tensor = Tensor(axes, shape: [axes.count])
  return InferenceContext(
    inputTypes: [data, tensor.valueType], constants: [nil, tensor], outputCount: 1)
}

private func runtimeAxes(_ axesShape: [Dim]) -> InferenceContext {
  InferenceContext(
    inputTypes: [data, ValueType(.int64, axesShape)], constants: [nil, nil], outputCount: 1)
}

// Expected shapes as onnx.shape_inference gives them for ReduceMean-18 on [N, 3, 4].
private let cases: [(axes: [Int64]?, keepdims: Bool, noop: Bool, shape: [Dim])] = [
  ([1], true, false, [batch, 1, 4]),
  ([-1], false, false, [batch, 3]),
  ([0, 2], false, false, [3]),
  (nil, true, false, [1, 1, 1]),
  (nil, false, false, []),
  ([], false, false, []),
  (nil, false, true, [batch, 3, 4]),
  ([], true, true, [batch, 3, 4]),
  ([2], false, true, [batch, 3]),
]

@Test(arguments: cases)
func reductionsDropOrKeepAxes(axes: [Int64]?, keepdims: Bool, noop: Bool, shape: [Dim]) throws {
  let ops: [any ReductionOperator] = [
    ReduceMean(keepdims: keepdims, noopWithEmptyAxes: noop),
    ReduceSum(keepdims: keepdims, noopWithEmptyAxes: noop),
    ReduceMax(keepdims: keepdims, noopWithEmptyAxes: noop),
    ReduceMin(keepdims: keepdims, noopWithEmptyAxes: noop),
    ReduceL2(keepdims: keepdims, noopWithEmptyAxes: noop),
  ]
  for op in ops {
    #expect(try op.inferTypes(reduction(axes)) == [ValueType(.float32, shape)], "\(op.opType)")
  }
}

@Test func reductionsWithRuntimeAxesKeepWhatIsKnown() throws {
  let kept = try ReduceSum().inferTypes(runtimeAxes([2]))
  #expect(kept == [ValueType(.float32, [.unknown, .unknown, .unknown])])
  let ones = InferenceContext(
    inputTypes: [ValueType(.float32, [batch, 1]), ValueType(.int64, [1])], constants: [nil, nil],
    outputCount: 1)
  #expect(try ReduceMax().inferTypes(ones) == [ValueType(.float32, [.unknown, 1])])
  let dropped = try ReduceMean(keepdims: false).inferTypes(runtimeAxes([2]))
  #expect(dropped == [ValueType(.float32, [.unknown])])
  #expect(
    try ReduceMean(keepdims: false).inferTypes(runtimeAxes([.unknown])) == [
      ValueType(.float32, nil)
    ])
  let noAxes = try ReduceMean(keepdims: false, noopWithEmptyAxes: true).inferTypes(
    runtimeAxes([0]))
  #expect(noAxes == [data])
}

@Test func reductionAxesAreChecked() {
  #expect(throws: GraphError.invalidOperator("axis 3 is out of range for rank 3")) {
    try ReduceMean().inferTypes(reduction([3]))
  }
  #expect(throws: GraphError.invalidOperator("axes [1, -2] repeat axis -2")) {
    try ReduceSum().inferTypes(reduction([1, -2]))
  }
  let int32Axes = InferenceContext(
    inputTypes: [data, ValueType(.int32, [1])], constants: [nil, nil], outputCount: 1)
  #expect(throws: GraphError.invalidOperator("axes has element type int32; expected int64")) {
    try ReduceMax().inferTypes(int32Axes)
  }
  #expect(throws: GraphError.invalidOperator("axes must be 1-D, got rank 2")) {
    try ReduceMax().inferTypes(runtimeAxes([1, 1]))
  }
}

@Test func reductionElementTypes() throws {
  let flags = ValueType(.bool, [2, 2])
  #expect(try ReduceMax().inferTypes(reduction(nil, data: flags)) == [ValueType(.bool, [1, 1])])
  #expect(try ReduceMin().inferTypes(reduction(nil, data: flags)) == [ValueType(.bool, [1, 1])])
  #expect(throws: GraphError.self) { try ReduceSum().inferTypes(reduction(nil, data: flags)) }
  #expect(throws: GraphError.self) {
    try ReduceMean().inferTypes(reduction(nil, data: ValueType(.uint8, [2])))
  }
  #expect(
    try ReduceL2().inferTypes(reduction(nil, data: ValueType(.float32, nil))) == [
      ValueType(.float32, nil)
    ])
}

@Test func reductionFlopsCountInputElements() {
  let fixed = ValueType(.float32, [2, 3, 4])
  let output = ValueType(.float32, [2, 1, 1])
  #expect(ReduceMean().flops(reduction([1, 2], data: fixed), outputs: [output]) == 24)
  #expect(ReduceMean().flops(reduction([1, 2]), outputs: [output]) == nil)
  #expect(ArgMax().flops(reduction(nil, data: fixed), outputs: [output]) == 24)
}

@Test func argMaxGivesInt64Indices() throws {
  let logits = ValueType(.float32, [batch, 10])
  let input = InferenceContext(inputTypes: [logits], constants: [nil], outputCount: 1)
  #expect(try ArgMax(axis: 1).inferTypes(input) == [ValueType(.int64, [batch, 1])])
  #expect(try ArgMax(axis: -1, keepdims: false).inferTypes(input) == [ValueType(.int64, [batch])])
  #expect(try ArgMax().inferTypes(input) == [ValueType(.int64, [1, 10])])
  #expect(throws: GraphError.invalidOperator("axis 2 is out of range for rank 2")) {
    try ArgMax(axis: 2).inferTypes(input)
  }
  let flags = InferenceContext(
    inputTypes: [ValueType(.bool, [3])], constants: [nil], outputCount: 1)
  #expect(throws: GraphError.self) { try ArgMax().inferTypes(flags) }
}
