import Testing

@testable import GraftIR

/// One input of a test node.
private enum Input {
  /// A value of this type with nothing known about its contents.
  case value(DType?, [Dim]?)
  /// A constant.
  case constant(Tensor)
  /// A 1-D int64 value whose contents are known as dims (such as `Shape(x)`).
  case shapeValue([Dim])
  /// An omitted optional input.
  case omitted
}

private func context(_ inputs: [Input], outputs: Int = 1) -> InferenceContext {
  var types: [ValueType?] = []
  var constants: [Tensor?] = []
  var shapeValues: [[Dim]?] = []
  for input in inputs {
    switch input {
    case .value(let dtype, let shape):
      types.append(ValueType(dtype, shape))
      constants.append(nil)
      shapeValues.append(nil)
    case .constant(let tensor):
      types.append(tensor.valueType)
      constants.append(tensor)
      shapeValues.append(nil)
    case .shapeValue(let dims):
      types.append(ValueType(.int64, [.fixed(dims.count)]))
      constants.append(nil)
      shapeValues.append(dims)
    case .omitted:
      types.append(nil)
      constants.append(nil)
      shapeValues.append(nil)
    }
  }
  return InferenceContext(
    inputTypes: types, constants: constants, shapeValues: shapeValues, outputCount: outputs)
}

private func ints(_ values: [Int64]) -> Tensor { Tensor(values, shape: [values.count]) }
private func floats(_ values: [Float], _ shape: [Int]) -> Tensor { Tensor(values, shape: shape) }
private func iota(_ shape: [Int]) -> Tensor {
  Tensor((0..<shape.reduce(1, *)).map(Float.init), shape: shape)
}
private let n = Dim.symbol("N")

/// The single output type of `op` on `inputs`.
private func inferred(_ op: some Operator, _ inputs: [Input]) throws -> ValueType {
  try op.inferTypes(context(inputs))[0]
}

/// The single folded output of `op` on `inputs`.
private func folded(_ op: some ConstantFoldable, _ inputs: [Input]) throws -> Tensor? {
  try op.fold(context(inputs))?.first
}

/// The message of the `GraphError.invalidOperator` thrown by `body`.
private func failure(_ body: () throws -> Void) -> String? {
  do {
    try body()
  } catch GraphError.invalidOperator(let message) {
    return message
  } catch {
    return "unexpected \(error)"
  }
  return nil
}

// MARK: - Concat

@Test func concatAddsTheAxisAndMergesOtherDims() throws {
  let op = Concat(axis: -1)
  let type = try inferred(op, [.value(.float32, [n, 3, 4]), .value(.float32, [1, 3, 5])])
  #expect(type == ValueType(.float32, [1, 3, 9]))
  let symbolic = try inferred(Concat(axis: 0), [.value(.int64, [n]), .value(.int64, [2])])
  #expect(symbolic == ValueType(.int64, [.unknown]))
}

@Test func concatRejectsMismatchedDimsAndDTypes() {
  let dims = failure {
    _ = try inferred(Concat(axis: 1), [.value(.float32, [2, 3]), .value(.float32, [4, 3])])
  }
  #expect(dims == "Concat: input 1 has size 4 on axis 0 where the inputs before have 2")
  let dtypes = failure {
    _ = try inferred(Concat(axis: 0), [.value(.float32, [2]), .value(.int64, [2])])
  }
  #expect(dtypes == "Concat: inputs mix element types float32 and int64")
  let axis = failure { _ = try inferred(Concat(axis: 2), [.value(.float32, [2, 3])]) }
  #expect(axis == "Concat: axis 2 is out of range for rank 2")
}

@Test func concatFoldsAlongAnInnerAxis() throws {
  let a = Tensor([Int32(1), 2, 3, 4], shape: [2, 2])
  let b = Tensor([Int32(5), 6], shape: [2, 1])
  let result = try #require(try folded(Concat(axis: 1), [.constant(a), .constant(b)]))
  #expect(result.shape == [2, 3])
  #expect(result.elements(as: Int32.self) == [1, 2, 5, 3, 4, 6])
}

@Test func concatJoinsShapeValues() {
  let values = Concat(axis: 0).shapeValues(
    context([.shapeValue([n]), .constant(ints([512])), .shapeValue([.fixed(7), .unknown])]))
  #expect(values == [[n, 512, 7, .unknown]])
}

// MARK: - Reshape

@Test func reshapeSolvesMinusOneSymbolically() throws {
  let type = try inferred(
    Reshape(), [.value(.float32, [n, 512, 1, 1]), .constant(ints([-1, 512]))])
  #expect(type == ValueType(.float32, [n, 512]))
  let fromChain = try inferred(
    Reshape(), [.value(.float32, [n, 512, 1, 1]), .shapeValue([n, 512])])
  #expect(fromChain == ValueType(.float32, [n, 512]))
  let mixed = try inferred(Reshape(), [.value(.float32, [n, 6]), .shapeValue([n, 2, -1])])
  #expect(mixed == ValueType(.float32, [n, 2, 3]))
}

@Test func reshapeCopiesZerosUnlessAllowzero() throws {
  let copied = try inferred(Reshape(), [.value(.float32, [2, 3, 4]), .constant(ints([0, -1]))])
  #expect(copied == ValueType(.float32, [2, 12]))
  let empty = try inferred(
    Reshape(allowzero: true), [.value(.float32, [0, 3]), .constant(ints([3, 0]))])
  #expect(empty == ValueType(.float32, [3, 0]))
  let both = failure {
    _ = try inferred(
      Reshape(allowzero: true), [.value(.float32, [0, 3]), .constant(ints([0, -1]))])
  }
  #expect(both == "Reshape: with allowzero the target [0, -1] cannot hold both 0 and -1")
}

@Test func reshapeReportsBadTargets() {
  let count = failure {
    _ = try inferred(Reshape(), [.value(.float32, [2, 3]), .constant(ints([4, 2]))])
  }
  #expect(count == "Reshape: cannot reshape [2, 3] (6 elements) to [4, 2] (8 elements)")
  let twice = failure {
    _ = try inferred(Reshape(), [.value(.float32, [2, 3]), .constant(ints([-1, -1]))])
  }
  #expect(twice == "Reshape: the target [-1, -1] has more than one -1")
  let uneven = failure {
    _ = try inferred(Reshape(), [.value(.float32, [5]), .constant(ints([2, -1]))])
  }
  #expect(uneven == "Reshape: cannot reshape [5] to [2, ?]: 5 elements are not a multiple of 2")
}

@Test func reshapeWithUnknownTargetKeepsItsLength() throws {
  let type = try inferred(Reshape(), [.value(.float32, [n, 8]), .value(.int64, [3])])
  #expect(type == ValueType(.float32, [.unknown, .unknown, .unknown]))
}

@Test func reshapeFoldsAndPassesShapeValues() throws {
  let result = try #require(
    try folded(Reshape(), [.constant(iota([2, 3])), .constant(ints([3, -1]))]))
  #expect(result.shape == [3, 2])
  #expect(result.elements(as: Float.self) == [0, 1, 2, 3, 4, 5])
  let scalar = Reshape().shapeValues(context([.shapeValue([n]), .constant(ints([]))]))
  #expect(scalar == [[n]])
}

// MARK: - Flatten

@Test(arguments: [
  (1, [n, 512] as [Dim]), (0, [1, .unknown]), (-1, [.unknown, 1]), (4, [.unknown, 1]),
  (2, [.unknown, 1]),
])
func flattenSplitsAtTheAxis(axis: Int, expected: [Dim]) throws {
  let type = try inferred(Flatten(axis: axis), [.value(.float32, [n, 512, 1, 1])])
  #expect(type.shape == expected)
}

@Test func flattenFoldsFixedShapes() throws {
  let type = try inferred(Flatten(axis: -2), [.value(.float16, [2, 3, 4])])
  #expect(type == ValueType(.float16, [2, 12]))
  let result = try #require(try folded(Flatten(), [.constant(iota([2, 3, 4]))]))
  #expect(result.shape == [2, 12])
  let outOfRange = failure { _ = try inferred(Flatten(axis: -4), [.value(.float32, [2, 3, 4])]) }
  #expect(outOfRange == "Flatten: axis -4 is out of range for rank 3")
}

// MARK: - Transpose

@Test func transposePermutesAndReversesByDefault() throws {
  let reversed = try inferred(Transpose(), [.value(.float32, [n, 3, 4])])
  #expect(reversed.shape == [4, 3, n])
  let permuted = try inferred(Transpose(perm: [0, 2, 3, 1]), [.value(.float32, [n, 3, 8, 9])])
  #expect(permuted.shape == [n, 8, 9, 3])
  let bad = failure { _ = try inferred(Transpose(perm: [0, 0]), [.value(.float32, [2, 2])]) }
  #expect(bad == "Transpose: perm [0, 0] is not a permutation of the 2 axes 0..<2")
}

@Test func transposeFoldsAnyDType() throws {
  let result = try #require(
    try folded(Transpose(perm: [2, 0, 1]), [.constant(iota([2, 3, 4]))]))
  #expect(result.shape == [4, 2, 3])
  #expect(Array(result.elements(as: Float.self).prefix(8)) == [0, 4, 8, 12, 16, 20, 1, 5])
  let flags = Tensor([true, false, false, true, true, false], shape: [2, 3])
  let transposed = try #require(try folded(Transpose(), [.constant(flags)]))
  #expect(transposed.elements(as: Bool.self) == [true, true, false, true, false, false])
}

// MARK: - Squeeze and Unsqueeze

@Test func squeezeRemovesListedOrAllUnitDims() throws {
  let listed = try inferred(
    Squeeze(), [.value(.float32, [n, 1, 4, 1]), .constant(ints([-1, 1]))])
  #expect(listed.shape == [n, 4])
  let all = try inferred(Squeeze(), [.value(.float32, [1, 3, 1])])
  #expect(all.shape == [3])
  let symbolic = try inferred(Squeeze(), [.value(.float32, [n, 1])])
  #expect(symbolic.shape == nil)
  let notOne = failure {
    _ = try inferred(Squeeze(), [.value(.float32, [2, 3]), .constant(ints([1]))])
  }
  #expect(notOne == "Squeeze: axis 1 of [2, 3] has size 3, not 1")
}

@Test func unsqueezeInsertsUnitDims() throws {
  let type = try inferred(Unsqueeze(), [.value(.float32, [n, 4]), .constant(ints([0, -1]))])
  #expect(type.shape == [1, n, 4, 1])
  let twice = failure {
    _ = try inferred(Unsqueeze(), [.value(.float32, [4]), .constant(ints([0, -3]))])
  }
  #expect(twice == "Unsqueeze: axis -3 is listed twice")
  let unknownAxes = try inferred(Unsqueeze(), [.value(.float32, [4]), .value(.int64, [1])])
  #expect(unknownAxes.shape == nil)
  // onnxruntime reads a scalar `axes` as one axis.
  let scalarAxis = try inferred(
    Unsqueeze(), [.value(.float32, [n, 4]), .constant(Tensor(scalar: Int64(1)))])
  #expect(scalarAxis.shape == [n, 1, 4])
}

@Test func squeezeAndUnsqueezeCarryShapeValues() throws {
  let scalar = Squeeze().shapeValues(context([.shapeValue([n]), .constant(ints([0]))]))
  #expect(scalar == [[n]])
  let zeroD = context([.value(.int64, []), .constant(ints([0]))])
  let lifted = Unsqueeze().shapeValues(
    InferenceContext(
      inputTypes: zeroD.inputTypes, constants: zeroD.constants, shapeValues: [[n], nil],
      outputCount: 1))
  #expect(lifted == [[n]])
  let matrix = Unsqueeze().shapeValues(context([.shapeValue([n, 4]), .constant(ints([0]))]))
  #expect(matrix == [nil])
  let result = try #require(
    try folded(Unsqueeze(), [.constant(Tensor(scalar: Int64(7))), .constant(ints([0]))]))
  #expect(result.shape == [1])
}

// MARK: - Slice

@Test(
  arguments: [
    ([-3], [100], nil, [7, 8, 9] as [Float]),
    ([8], [2], [-2], [8, 6, 4]),
    ([-1], [Int64.min], [-1], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]),
    ([2], [-1], [3], [2, 5, 8]),
    ([5], [2], nil, []),
    ([0], [Int64(Int32.max)], nil, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
  ] as [([Int64], [Int64], [Int64]?, [Float])])
func sliceClampsAsTheSpecSays(starts: [Int64], ends: [Int64], steps: [Int64]?, expected: [Float])
  throws
{
  var inputs: [Input] = [.constant(iota([10])), .constant(ints(starts)), .constant(ints(ends))]
  if let steps { inputs += [.omitted, .constant(ints(steps))] }
  let result = try #require(try folded(SliceOp(), inputs))
  #expect(result.elements(as: Float.self) == expected)
  #expect(try inferred(SliceOp(), inputs).shape == [.fixed(expected.count)])
}

@Test func sliceKeepsSymbolicDimsTakenWhole() throws {
  let type = try inferred(
    SliceOp(),
    [
      .value(.float32, [n, 3, 8]), .constant(ints([0, 1])),
      .constant(ints([Int64.max, -1])), .constant(ints([0, 2])),
    ])
  #expect(type.shape == [n, 3, 6])
  let partial = try inferred(
    SliceOp(), [.value(.float32, [n]), .constant(ints([1])), .constant(ints([Int64.max]))])
  #expect(partial.shape == [.unknown])
}

@Test func sliceRejectsZeroStepsAndRepeatedAxes() {
  let zero = failure {
    _ = try inferred(
      SliceOp(),
      [
        .value(.float32, [4]), .constant(ints([0])), .constant(ints([4])), .omitted,
        .constant(ints([0])),
      ])
  }
  #expect(zero == "Slice: steps[0] is 0")
  let repeated = failure {
    _ = try inferred(
      SliceOp(),
      [
        .value(.float32, [4, 4]), .constant(ints([0, 0])), .constant(ints([1, 1])),
        .constant(ints([1, -1])),
      ])
  }
  #expect(repeated == "Slice: axis -1 is listed twice")
}

@Test func sliceFoldsTwoAxesAndSlicesShapeValues() throws {
  let result = try #require(
    try folded(
      SliceOp(),
      [
        .constant(iota([3, 4])), .constant(ints([1, -1])), .constant(ints([3, 0])),
        .constant(ints([0, 1])), .constant(ints([1, -2])),
      ]))
  #expect(result.shape == [2, 2])
  #expect(result.elements(as: Float.self) == [7, 5, 11, 9])
  let tail = SliceOp().shapeValues(
    context([.shapeValue([n, 3, 224, 224]), .constant(ints([2])), .constant(ints([4]))]))
  #expect(tail == [[224, 224]])
}

// MARK: - Gather

@Test func gatherReplacesTheAxisByTheIndexShape() throws {
  let type = try inferred(
    Gather(axis: 1), [.value(.float32, [n, 5, 7]), .value(.int64, [2, 3])])
  #expect(type.shape == [n, 2, 3, 7])
  let scalar = try inferred(Gather(), [.value(.int64, [4]), .constant(Tensor(scalar: Int64(0)))])
  #expect(scalar.shape == [])
}

@Test func gatherChecksConstantIndices() {
  let message = failure {
    _ = try inferred(Gather(), [.value(.float32, [4, 2]), .constant(ints([1, 7]))])
  }
  #expect(message == "Gather: index 7 is out of range for axis 0 of size 4")
  let negative = failure {
    _ = try inferred(Gather(axis: -1), [.value(.float32, [4, 2]), .constant(ints([-3]))])
  }
  #expect(negative == "Gather: index -3 is out of range for axis 1 of size 2")
  let dtype = failure {
    _ = try inferred(Gather(), [.value(.float32, [4]), .value(.float32, [1])])
  }
  #expect(dtype == "Gather: input 'indices' must be int32 or int64, got float32")
}

@Test func gatherFoldsWithNegativeIndices() throws {
  let indices = Tensor([Int32(0), -1], shape: [1, 2])
  let result = try #require(
    try folded(Gather(axis: 1), [.constant(iota([3, 4])), .constant(indices)]))
  #expect(result.shape == [3, 1, 2])
  #expect(result.elements(as: Float.self) == [0, 3, 4, 7, 8, 11])
}

@Test func gatherPicksFromShapeValues() {
  let batch = Gather().shapeValues(
    context([.shapeValue([n, 512, 7, 7]), .constant(Tensor(scalar: Int64(0)))]))
  #expect(batch == [[n]])
  let spatial = Gather().shapeValues(
    context([.shapeValue([n, 512, 7, 7]), .constant(ints([-2, -1]))]))
  #expect(spatial == [[7, 7]])
  let unknown = Gather().shapeValues(context([.shapeValue([n]), .value(.int64, [1])]))
  #expect(unknown == [nil])
}

// MARK: - Split

@Test func splitCutsEvenlyWithAShorterLastPart() throws {
  let even = try Split(axis: 1).inferTypes(
    context([.value(.float32, [n, 6])], outputs: 3))
  #expect(even.map(\.shape) == [[n, 2], [n, 2], [n, 2]])
  let uneven = try Split(numOutputs: 3).inferTypes(context([.value(.float32, [7])], outputs: 3))
  #expect(uneven.map(\.shape) == [[3], [3], [1]])
  let given = try Split(axis: -1).inferTypes(
    context([.value(.float32, [2, 5]), .constant(ints([1, 4]))], outputs: 2))
  #expect(given.map(\.shape) == [[2, 1], [2, 4]])
}

@Test func splitReportsBadLengths() {
  let sum = failure {
    _ = try Split().inferTypes(
      context([.value(.float32, [5]), .constant(ints([2, 2]))], outputs: 2))
  }
  #expect(sum == "Split: the lengths [2, 2] add up to 4, not the axis size 5")
  let count = failure {
    _ = try Split(numOutputs: 2).inferTypes(context([.value(.float32, [4])], outputs: 3))
  }
  #expect(count == "Split: num_outputs is 2 but the node has 3 outputs")
  let tooMany = failure {
    _ = try Split().inferTypes(context([.value(.float32, [5])], outputs: 4))
  }
  #expect(tooMany == "Split: an axis of size 5 cannot be cut into 4 parts of 2 and a last part")
}

@Test func splitFolds() throws {
  let parts = try #require(
    try Split(axis: 1).fold(
      context([.constant(iota([2, 3])), .constant(ints([2, 1]))], outputs: 2)))
  #expect(parts.map(\.shape) == [[2, 2], [2, 1]])
  #expect(parts[0].elements(as: Float.self) == [0, 1, 3, 4])
  #expect(parts[1].elements(as: Float.self) == [2, 5])
}

// MARK: - Shape and Size

@Test func shapeSelectsDimsAndFoldsFixedOnes() throws {
  let input: [Input] = [.value(.float32, [n, 3, 224, 224])]
  #expect(try inferred(Shape(), input) == ValueType(.int64, [4]))
  #expect(Shape().shapeValues(context(input)) == [[n, 3, 224, 224]])
  #expect(Shape(start: 1).shapeValues(context(input)) == [[3, 224, 224]])
  #expect(Shape(start: -2, end: 100).shapeValues(context(input)) == [[224, 224]])
  #expect(try inferred(Shape(start: 3, end: 1), input) == ValueType(.int64, [0]))
  #expect(try folded(Shape(), input) == nil)
  let tail = try #require(try folded(Shape(start: 1), input))
  #expect(tail.elements(as: Int64.self) == [3, 224, 224])
  #expect(try inferred(Shape(), [.value(.float32, nil)]) == ValueType(.int64, [.unknown]))
}

@Test func sizeFoldsFromTheType() throws {
  #expect(try inferred(Size(), [.value(.float32, [n, 3])]) == ValueType(.int64, []))
  #expect(try folded(Size(), [.value(.float32, [n, 3])]) == nil)
  let count = try #require(try folded(Size(), [.value(.bool, [2, 3, 4])]))
  #expect(count.elements(as: Int64.self) == [24])
  #expect(count.shape == [])
}

// MARK: - Constant and ConstantOfShape

@Test func constantAlwaysFoldsAndFeedsShapes() throws {
  let big = Tensor([Float](repeating: 1, count: 1_000_001), shape: [1_000_001])
  #expect(try folded(Constant(value: big), [])?.count == 1_000_001)
  #expect(try inferred(Constant(value: big), []) == ValueType(.float32, [1_000_001]))
  #expect(Constant(value: ints([-1, 512])).shapeValues(context([])) == [[-1, 512]])
  #expect(Constant(value: floats([1], [1])).shapeValues(context([])) == [nil])
}

@Test func constantOfShapeUsesSymbolicShapesAndFills() throws {
  let symbolic = try inferred(ConstantOfShape(), [.shapeValue([n, 4])])
  #expect(symbolic == ValueType(.float32, [n, 4]))
  let filled = try #require(
    try folded(
      ConstantOfShape(value: Tensor([Int32(7)], shape: [1])), [.constant(ints([2, 3]))]))
  #expect(filled.shape == [2, 3])
  #expect(filled.elements(as: Int32.self) == [7, 7, 7, 7, 7, 7])
  let scalar = try #require(try folded(ConstantOfShape(), [.constant(ints([]))]))
  #expect(scalar.shape == [] && scalar.elements(as: Float.self) == [0])
  #expect(try folded(ConstantOfShape(), [.constant(ints([2000, 1000]))]) == nil)
  let negative = failure { _ = try inferred(ConstantOfShape(), [.constant(ints([2, -1]))]) }
  #expect(negative == "ConstantOfShape: negative dim -1 in [2, -1]")
}

// MARK: - Range

@Test func rangeLengthAndFolding() throws {
  let descending = try #require(
    try folded(
      RangeOp(),
      [
        .constant(Tensor(scalar: Int64(10))), .constant(Tensor(scalar: Int64(1))),
        .constant(Tensor(scalar: Int64(-3))),
      ]))
  #expect(descending.elements(as: Int64.self) == [10, 7, 4])
  let fractional = try #require(
    try folded(
      RangeOp(),
      [
        .constant(Tensor(scalar: Float(1))), .constant(Tensor(scalar: Float(2))),
        .constant(Tensor(scalar: Float(0.3))),
      ]))
  #expect(fractional.shape == [4])
  #expect(fractional.elements(as: Float.self)[1] == Float(1.3))
  let empty = try inferred(
    RangeOp(),
    [
      .constant(Tensor(scalar: Int32(5))), .constant(Tensor(scalar: Int32(1))),
      .constant(Tensor(scalar: Int32(1))),
    ])
  #expect(empty == ValueType(.int32, [0]))
}

@Test func rangeOverASymbolicLimitHasThatLength() throws {
  let zeroD = [ValueType(.int64, []), ValueType(.int64, []), ValueType(.int64, [])]
  let context = InferenceContext(
    inputTypes: zeroD, constants: [Tensor(scalar: Int64(0)), nil, Tensor(scalar: Int64(1))],
    shapeValues: [nil, [n], nil], outputCount: 1)
  #expect(try RangeOp().inferTypes(context) == [ValueType(.int64, [n])])
  let zero = failure {
    _ = try inferred(
      RangeOp(),
      [
        .constant(Tensor(scalar: Int64(0))), .constant(Tensor(scalar: Int64(3))),
        .constant(Tensor(scalar: Int64(0))),
      ])
  }
  #expect(zero == "Range: delta is 0")
}

// MARK: - Expand and Tile

@Test func expandBroadcastsBothWays() throws {
  let grown = try inferred(Expand(), [.value(.float32, [3, 1]), .constant(ints([2, 1, 6]))])
  #expect(grown.shape == [2, 3, 6])
  let keepsBatch = try inferred(Expand(), [.value(.float32, [n, 1]), .shapeValue([1, 4])])
  #expect(keepsBatch.shape == [n, 4])
  let bad = failure {
    _ = try inferred(Expand(), [.value(.float32, [3]), .constant(ints([4]))])
  }
  #expect(bad == "Expand: cannot expand [3] to [4]: shapes do not broadcast: 3 against 4")
  let result = try #require(
    try folded(Expand(), [.constant(floats([1, 2], [2, 1])), .constant(ints([2, 3]))]))
  #expect(result.elements(as: Float.self) == [1, 1, 1, 2, 2, 2])
  #expect(try folded(Expand(), [.constant(iota([1])), .constant(ints([1001, 1000]))]) == nil)
}

@Test func tileRepeatsEachAxis() throws {
  let type = try inferred(Tile(), [.value(.float32, [n, 2]), .constant(ints([1, 3]))])
  #expect(type.shape == [n, 6])
  let source = Tensor([Int64(1), 2, 3, 4], shape: [2, 2])
  let result = try #require(try folded(Tile(), [.constant(source), .constant(ints([2, 3]))]))
  #expect(result.shape == [4, 6])
  #expect(
    Array(result.elements(as: Int64.self).prefix(12)) == [1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4])
  let wrong = failure {
    _ = try inferred(Tile(), [.value(.float32, [2, 2]), .constant(ints([2]))])
  }
  #expect(wrong == "Tile: 'repeats' has 1 entries for an input of rank 2")
}

// MARK: - Identity and Dropout

@Test func identityPassesTypeValueAndShapeValue() throws {
  #expect(try inferred(Identity(), [.value(.int8, [n])]) == ValueType(.int8, [n]))
  #expect(try folded(Identity(), [.constant(ints([3]))])?.elements(as: Int64.self) == [3])
  #expect(Identity().shapeValues(context([.shapeValue([n, 2])])) == [[n, 2]])
}

@Test func dropoutIsTheIdentityWithABoolMask() throws {
  let types = try Dropout().inferTypes(context([.value(.float16, [n, 8])], outputs: 2))
  #expect(types == [ValueType(.float16, [n, 8]), ValueType(.bool, [n, 8])])
  let outputs = try #require(
    try Dropout().fold(
      context([.constant(floats([1, 2], [2])), .constant(Tensor(scalar: Float(0.3)))], outputs: 2))
  )
  #expect(outputs[0].elements(as: Float.self) == [1, 2])
  #expect(outputs[1].elements(as: Bool.self) == [true, true])
}

@Test func dropoutRejectsTrainingModeAndBadRatios() {
  let training = failure {
    _ = try inferred(
      Dropout(), [.value(.float32, [2]), .omitted, .constant(Tensor(scalar: true))])
  }
  #expect(
    training
      == "Dropout: training_mode is true with ratio 0.5, which drops elements at random; "
      + "Graft runs models for inference only")
  let ratio = failure {
    _ = try inferred(Dropout(), [.value(.float32, [2]), .constant(Tensor(scalar: Float(1)))])
  }
  #expect(ratio == "Dropout: ratio 1.0 is outside [0, 1)")
  #expect(
    failure {
      _ = try inferred(
        Dropout(),
        [
          .value(.float32, [2]), .constant(Tensor(scalar: Float(0))),
          .constant(Tensor(scalar: true)),
        ])
    } == nil)
}

// MARK: - Hostile sizes

@Test func hugeSizesGiveErrorsOrUnknownsNotTraps() throws {
  let huge = Dim.fixed(1 << 62)
  let reshaped = failure {
    _ = try inferred(Reshape(), [.value(.float32, [huge, huge]), .constant(ints([4]))])
  }
  #expect(
    reshaped == "Reshape: cannot reshape [\(huge), \(huge)] (too many elements) to [4] (4 elements)"
  )
  #expect(
    try inferred(Flatten(), [.value(.float32, [huge, huge, huge])]).shape == [huge, .unknown])
  #expect(
    try inferred(
      Concat(axis: 0),
      [.value(.float32, [huge]), .value(.float32, [huge]), .value(.float32, [huge])]
    ).shape == [.unknown])
  #expect(try folded(Size(), [.value(.float32, [huge, huge])]) == nil)
  #expect(try folded(ConstantOfShape(), [.constant(ints([1 << 62, 1 << 62]))]) == nil)
  let steps: [Input] = [
    .constant(iota([5])), .constant(ints([0])), .constant(ints([Int64.max])), .omitted,
    .constant(ints([Int64.max])),
  ]
  #expect(try folded(SliceOp(), steps)?.elements(as: Float.self) == [0])
  let backwards: [Input] = [
    .constant(iota([5])), .constant(ints([Int64.max])), .constant(ints([Int64.min])), .omitted,
    .constant(ints([Int64.min])),
  ]
  #expect(try folded(SliceOp(), backwards)?.elements(as: Float.self) == [4])
  let range = failure {
    _ = try inferred(
      RangeOp(),
      [
        .constant(Tensor(scalar: Int64.min)), .constant(Tensor(scalar: Int64.max)),
        .constant(Tensor(scalar: Int64(1))),
      ])
  }
  #expect(range == "Range: the sequence from \(Int64.min) to \(Int64.max) is too long")
  let infinite = failure {
    _ = try inferred(
      RangeOp(),
      [
        .constant(Tensor(scalar: Float(0))), .constant(Tensor(scalar: Float.infinity)),
        .constant(Tensor(scalar: Float(1))),
      ])
  }
  #expect(infinite == "Range: the sequence from 0.0 to inf by 1.0 has no countable length")
}

// MARK: - Folding limits and whole chains

@Test func foldingStopsAboveAMillionElements() throws {
  let source = iota([1])
  #expect(try folded(Tile(), [.constant(source), .constant(ints([1_000_001]))]) == nil)
  #expect(
    try folded(Tile(), [.constant(source), .constant(ints([1_000_000]))])?.count == 1_000_000)
}

@Test func shapeGatherConcatReshapeResolvesTheBatch() throws {
  var graph = Graph(
    inputs: [ValueInfo(name: "x", type: ValueType(.float32, [n, 512, 1, 1]))],
    outputs: [ValueInfo(name: "y", type: .unknown)],
    nodes: [
      Node(name: "shape", op: Shape(), inputs: ["x"], outputs: ["s"]),
      Node(
        name: "zero", op: Constant(value: Tensor(scalar: Int64(0))), inputs: [], outputs: ["zero"]),
      Node(name: "batch", op: Gather(), inputs: ["s", "zero"], outputs: ["b"]),
      Node(name: "lift", op: Unsqueeze(), inputs: ["b", "axes"], outputs: ["b1"]),
      Node(name: "width", op: Constant(value: ints([-1])), inputs: [], outputs: ["w"]),
      Node(name: "target", op: Concat(axis: 0), inputs: ["b1", "w"], outputs: ["t"]),
      Node(name: "reshape", op: Reshape(), inputs: ["x", "t"], outputs: ["y"]),
    ],
    constants: ["axes": ints([0])])
  try graph.inferTypes()
  #expect(graph.shapeValues["b"] == [n])
  #expect(graph.shapeValues["t"] == [n, -1])
  #expect(graph.type(of: "y") == ValueType(.float32, [n, 512]))
}
