import GraftIR
import GraftONNX
import Testing

private func node(
  _ opType: String, opset: Int, inputs: [String] = ["x"], outputs: [String] = ["y"],
  _ attributes: [String: ONNXAttribute] = [:]
) -> ONNXNode {
  ONNXNode(
    name: "n", opType: opType, domain: "", opset: opset, inputs: inputs, outputs: outputs,
    attributes: attributes)
}

/// The int64 contents of the constant that import created for input `index`.
private func constantInput(_ node: ONNXNode, _ index: Int) -> [Int64]? {
  guard index < node.inputs.count else { return nil }
  return node.newConstants[node.inputs[index]]?.elements(as: Int64.self)
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

@Test func concatRequiresItsAxis() throws {
  var withAxis = node("Concat", opset: 13, inputs: ["a", "b"], ["axis": .int(-1)])
  #expect(try Concat.fromONNX(&withAxis) == Concat(axis: -1))
  var without = node("Concat", opset: 11, inputs: ["a", "b"])
  #expect(failure { _ = try Concat.fromONNX(&without) } == "Concat: attribute 'axis' is required")
}

@Test(arguments: [5, 13, 14, 21])
func reshapeReadsAllowzero(opset: Int) throws {
  var plain = node("Reshape", opset: opset, inputs: ["x", "shape"])
  #expect(try Reshape.fromONNX(&plain) == Reshape(allowzero: false))
  #expect(plain.inputs == ["x", "shape"])
  var zero = node("Reshape", opset: opset, inputs: ["x", "shape"], ["allowzero": .int(1)])
  #expect(try Reshape.fromONNX(&zero) == Reshape(allowzero: true))
}

@Test func reshapeRejectsOtherAllowzeroValues() {
  var bad = node("Reshape", opset: 14, inputs: ["x", "shape"], ["allowzero": .int(2)])
  #expect(failure { _ = try Reshape.fromONNX(&bad) } == "Reshape: allowzero must be 0 or 1, got 2")
}

@Test func flattenTransposeGatherShapeReadTheirAttributes() throws {
  var flatten = node("Flatten", opset: 13, ["axis": .int(-2)])
  #expect(try Flatten.fromONNX(&flatten) == Flatten(axis: -2))
  var flattenDefault = node("Flatten", opset: 9)
  #expect(try Flatten.fromONNX(&flattenDefault) == Flatten(axis: 1))
  var transpose = node("Transpose", opset: 13, ["perm": .ints([0, 2, 3, 1])])
  #expect(try Transpose.fromONNX(&transpose) == Transpose(perm: [0, 2, 3, 1]))
  var reverse = node("Transpose", opset: 7)
  #expect(try Transpose.fromONNX(&reverse) == Transpose())
  var gather = node("Gather", opset: 13, inputs: ["x", "i"], ["axis": .int(1)])
  #expect(try Gather.fromONNX(&gather) == Gather(axis: 1))
  var shape = node("Shape", opset: 15, ["start": .int(1), "end": .int(-1)])
  #expect(try Shape.fromONNX(&shape) == Shape(start: 1, end: -1))
  var oldShape = node("Shape", opset: 7)
  #expect(try Shape.fromONNX(&oldShape) == Shape())
}

@Test func squeezeAxesAttributeBecomesAnInput() throws {
  var old = node("Squeeze", opset: 11, ["axes": .ints([0, -1])])
  #expect(try Squeeze.fromONNX(&old) == Squeeze())
  #expect(constantInput(old, 1) == [0, -1])
  var all = node("Squeeze", opset: 7)
  _ = try Squeeze.fromONNX(&all)
  #expect(all.inputs == ["x"])
  var new = node("Squeeze", opset: 13, inputs: ["x", "axes"])
  _ = try Squeeze.fromONNX(&new)
  #expect(new.inputs == ["x", "axes"] && new.newConstants.isEmpty)
  var mixed = node("Squeeze", opset: 13, ["axes": .ints([0])])
  #expect(
    failure { _ = try Squeeze.fromONNX(&mixed) }
      == "Squeeze: from opset 13 on 'axes' is an input, not an attribute")
}

@Test func unsqueezeAxesAttributeBecomesAnInput() throws {
  var old = node("Unsqueeze", opset: 9, ["axes": .ints([0])])
  _ = try Unsqueeze.fromONNX(&old)
  #expect(constantInput(old, 1) == [0])
  var missing = node("Unsqueeze", opset: 11)
  #expect(
    failure { _ = try Unsqueeze.fromONNX(&missing) } == "Unsqueeze: attribute 'axes' is required")
  var noInput = node("Unsqueeze", opset: 13)
  #expect(
    failure { _ = try Unsqueeze.fromONNX(&noInput) } == "Unsqueeze: input 'axes' is required")
}

@Test func sliceAttributesBecomeInputsBeforeOpset10() throws {
  var old = node(
    "Slice", opset: 9, ["starts": .ints([1]), "ends": .ints([-1]), "axes": .ints([2])])
  _ = try SliceOp.fromONNX(&old)
  #expect(old.inputs.count == 4)
  #expect(constantInput(old, 1) == [1])
  #expect(constantInput(old, 2) == [-1])
  #expect(constantInput(old, 3) == [2])
  var noAxes = node("Slice", opset: 7, ["starts": .ints([0]), "ends": .ints([3])])
  _ = try SliceOp.fromONNX(&noAxes)
  #expect(noAxes.inputs.count == 3)
  var new = node("Slice", opset: 13, inputs: ["x", "s", "e", "", ""])
  _ = try SliceOp.fromONNX(&new)
  #expect(new.inputs == ["x", "s", "e"])
  var missing = node("Slice", opset: 9, ["starts": .ints([0])])
  #expect(
    failure { _ = try SliceOp.fromONNX(&missing) }
      == "Slice: attributes 'starts' and 'ends' are required")
}

@Test func splitNormalisesEveryOpsetSpelling() throws {
  var old = node(
    "Split", opset: 11, outputs: ["a", "b"], ["axis": .int(1), "split": .ints([2, 3])])
  #expect(try Split.fromONNX(&old) == Split(axis: 1))
  #expect(constantInput(old, 1) == [2, 3])
  var equal = node("Split", opset: 13, inputs: ["x", ""], outputs: ["a", "b"])
  #expect(try Split.fromONNX(&equal) == Split())
  #expect(equal.inputs == ["x"])
  var counted = node("Split", opset: 18, outputs: ["a", "b", "c"], ["num_outputs": .int(3)])
  #expect(try Split.fromONNX(&counted) == Split(numOutputs: 3))
  var both = node(
    "Split", opset: 18, inputs: ["x", "split"], outputs: ["a", "b"], ["num_outputs": .int(2)])
  #expect(
    failure { _ = try Split.fromONNX(&both) }
      == "Split: give either the 'split' input or num_outputs, not both")
}

@Test func constantReadsEveryValueSpelling() throws {
  var tensor = node(
    "Constant", opset: 9, inputs: [], ["value": .tensor(Tensor([Int32(4)], shape: [1]))])
  #expect(try Constant.fromONNX(&tensor).value.elements(as: Int32.self) == [4])
  var float = node("Constant", opset: 12, inputs: [], ["value_float": .float(2.5)])
  let floatValue = try Constant.fromONNX(&float).value
  #expect(floatValue.shape == [] && floatValue.elements(as: Float.self) == [2.5])
  var floatList = node("Constant", opset: 13, inputs: [], ["value_floats": .floats([1, 2])])
  #expect(try Constant.fromONNX(&floatList).value.elements(as: Float.self) == [1, 2])
  var int = node("Constant", opset: 13, inputs: [], ["value_int": .int(-1)])
  let intValue = try Constant.fromONNX(&int).value
  #expect(intValue.shape == [] && intValue.elements(as: Int64.self) == [-1])
  var intList = node("Constant", opset: 19, inputs: [], ["value_ints": .ints([0, 512])])
  #expect(try Constant.fromONNX(&intList).value.elements(as: Int64.self) == [0, 512])
}

@Test func constantRejectsStringsSparseAndAmbiguity() {
  var string = node("Constant", opset: 12, inputs: [], ["value_string": .string("a")])
  #expect(
    failure { _ = try Constant.fromONNX(&string) }
      == "Constant: string tensors are not supported ('value_string')")
  var strings = node("Constant", opset: 12, inputs: [], ["value_strings": .strings(["a"])])
  #expect(failure { _ = try Constant.fromONNX(&strings) }?.contains("string tensors") == true)
  var sparse = node("Constant", opset: 11, inputs: [], ["sparse_value": .unsupported("sparse")])
  #expect(
    failure { _ = try Constant.fromONNX(&sparse) }
      == "Constant: sparse tensors are not supported ('sparse_value'); store the value dense")
  var two = node(
    "Constant", opset: 12, inputs: [], ["value_int": .int(1), "value_float": .float(1)])
  #expect(
    failure { _ = try Constant.fromONNX(&two) }
      == "Constant: exactly one value attribute must be set, got [\"value_float\", \"value_int\"]")
  var none = node("Constant", opset: 12, inputs: [])
  #expect(failure { _ = try Constant.fromONNX(&none) }?.hasPrefix("Constant: exactly one") == true)
}

@Test func constantOfShapeDefaultsToFloatZero() throws {
  var plain = node("ConstantOfShape", opset: 9)
  let value = try ConstantOfShape.fromONNX(&plain).value
  #expect(value.dtype == .float32 && value.elements(as: Float.self) == [0])
  var typed = node(
    "ConstantOfShape", opset: 20, ["value": .tensor(Tensor([Int64(3)], shape: [1]))])
  #expect(try ConstantOfShape.fromONNX(&typed).value.elements(as: Int64.self) == [3])
  var wide = node(
    "ConstantOfShape", opset: 9, ["value": .tensor(Tensor([Float(1), 2], shape: [2]))])
  #expect(
    failure { _ = try ConstantOfShape.fromONNX(&wide) }
      == "ConstantOfShape: 'value' must hold one element, got shape [2]")
}

@Test func attributeFreeOpsImport() throws {
  var size = node("Size", opset: 13)
  #expect(try Size.fromONNX(&size) == Size())
  var range = node("Range", opset: 11, inputs: ["a", "b", "c"])
  #expect(try RangeOp.fromONNX(&range) == RangeOp())
  var expand = node("Expand", opset: 8, inputs: ["x", "s"])
  #expect(try Expand.fromONNX(&expand) == Expand())
  var tile = node("Tile", opset: 6, inputs: ["x", "r"])
  #expect(try Tile.fromONNX(&tile) == Tile())
  var identity = node("Identity", opset: 16)
  #expect(try Identity.fromONNX(&identity) == Identity())
}

@Test func dropoutRatioAttributeBecomesAnInput() throws {
  var old = node("Dropout", opset: 7, outputs: ["y", "mask"], ["ratio": .float(0.2)])
  #expect(try Dropout.fromONNX(&old) == Dropout())
  #expect(old.newConstants[old.inputs[1]]?.elements(as: Float.self) == [0.2])
  var defaults = node("Dropout", opset: 10, ["is_test": .int(1)])
  _ = try Dropout.fromONNX(&defaults)
  #expect(defaults.inputs == ["x"])
  var new = node("Dropout", opset: 13, inputs: ["x", "", "train"], ["seed": .int(3)])
  #expect(try Dropout.fromONNX(&new) == Dropout(seed: 3))
  #expect(new.inputs == ["x", "", "train"])
  var bad = node("Dropout", opset: 10, ["ratio": .float(1.5)])
  #expect(failure { _ = try Dropout.fromONNX(&bad) } == "Dropout: ratio 1.5 is outside [0, 1)")
}
