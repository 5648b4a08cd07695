import GraftIR
import Testing

@testable import GraftONNX

private func node(
  _ opType: String, opset: Int, inputs: [String] = ["X"], outputs: [String] = ["Y"],
  _ attributes: [String: ONNXAttribute] = [:]
) -> ONNXNode {
  ONNXNode(
    name: "n", opType: opType, domain: "", opset: opset, inputs: inputs, outputs: outputs,
    attributes: attributes)
}

private func imported<Op: ONNXImportable>(_: Op.Type, _ node: ONNXNode) throws -> (Op, ONNXNode) {
  var node = node
  let op = try Op.fromONNX(&node)
  return (op, node)
}

private func rejects<Op: ONNXImportable>(_: Op.Type, _ node: ONNXNode, containing text: String) {
  #expect {
    _ = try imported(Op.self, node)
  } throws: { error in
    guard case GraphError.invalidOperator(let message) = error else { return false }
    return message.contains(text)
  }
}

// MARK: Convolution and pooling

@Test(arguments: [1, 11, 22])
func convReadsEveryAttribute(opset: Int) throws {
  let attributes: [String: ONNXAttribute] = [
    "auto_pad": .string("SAME_LOWER"), "dilations": .ints([2, 2]), "group": .int(4),
    "kernel_shape": .ints([3, 3]), "strides": .ints([1, 2]),
  ]
  let conv = try imported(Conv.self, node("Conv", opset: opset, inputs: ["X", "W"], attributes)).0
  #expect(
    conv
      == Conv(
        autoPad: .sameLower, dilations: [2, 2], group: 4, kernelShape: [3, 3], strides: [1, 2]))
  let (defaults, _) = try imported(Conv.self, node("Conv", opset: opset, inputs: ["X", "W"]))
  #expect(defaults == Conv())
  let (emptyAutoPad, _) = try imported(
    Conv.self, node("Conv", opset: opset, ["auto_pad": .string("")]))
  #expect(emptyAutoPad.autoPad == .notSet)
}

@Test func convRejectsBadAttributes() {
  rejects(Conv.self, node("Conv", opset: 11, ["auto_pad": .string("SAME")]), containing: "'SAME'")
  rejects(Conv.self, node("Conv", opset: 11, ["group": .int(0)]), containing: "group")
  rejects(
    Conv.self, node("Conv", opset: 11, ["kernel_shape": .ints([3, 3]), "strides": .ints([1])]),
    containing: "strides")
  rejects(Conv.self, node("Conv", opset: 11, ["group": .float(1.5)]), containing: "an integer")
}

@Test func convTransposeReadsOutputShapeAndPadding() throws {
  let attributes: [String: ONNXAttribute] = [
    "kernel_shape": .ints([3, 3]), "output_padding": .ints([1, 0]),
    "output_shape": .ints([10, 8]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1]),
  ]
  let (op, _) = try imported(ConvTranspose.self, node("ConvTranspose", opset: 11, attributes))
  #expect(
    op
      == ConvTranspose(
        kernelShape: [3, 3], outputPadding: [1, 0], outputShape: [10, 8], pads: [1, 1, 1, 1],
        strides: [2, 2]))
  rejects(
    ConvTranspose.self,
    node("ConvTranspose", opset: 11, ["kernel_shape": .ints([3]), "output_padding": .ints([-1])]),
    containing: "output_padding")
}

@Test(arguments: [1, 8, 10, 11, 12, 22])
func maxPoolAcrossOpsets(opset: Int) throws {
  var attributes: [String: ONNXAttribute] = [
    "kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1]),
  ]
  if opset >= 8 { attributes["storage_order"] = .int(1) }
  if opset >= 10 { attributes["ceil_mode"] = .int(1) }
  let outputs = opset >= 8 ? ["Y", "I"] : ["Y"]
  let (op, _) = try imported(
    MaxPool.self, node("MaxPool", opset: opset, outputs: outputs, attributes))
  #expect(op.kernelShape == [3, 3] && op.strides == [2, 2] && op.pads == [1, 1, 1, 1])
  #expect(op.storageOrder == (opset >= 8 ? 1 : 0))
  #expect(op.ceilMode == (opset >= 10))
}

@Test func poolsRejectMissingKernelAndBadFlags() {
  rejects(MaxPool.self, node("MaxPool", opset: 12), containing: "kernel_shape")
  rejects(AveragePool.self, node("AveragePool", opset: 19), containing: "kernel_shape")
  rejects(
    MaxPool.self,
    node("MaxPool", opset: 12, ["kernel_shape": .ints([2]), "storage_order": .int(3)]),
    containing: "storage_order")
  rejects(
    AveragePool.self,
    node("AveragePool", opset: 11, ["kernel_shape": .ints([2]), "ceil_mode": .int(2)]),
    containing: "ceil_mode")
  rejects(
    AveragePool.self,
    node("AveragePool", opset: 11, ["kernel_shape": .ints([2, 2]), "pads": .ints([1, 1])]),
    containing: "pads")
}

@Test(arguments: [7, 10, 11, 19, 22])
func averagePoolAcrossOpsets(opset: Int) throws {
  var attributes: [String: ONNXAttribute] = [
    "kernel_shape": .ints([2, 2]), "count_include_pad": .int(1), "auto_pad": .string("VALID"),
  ]
  if opset >= 19 { attributes["dilations"] = .ints([2, 2]) }
  let (op, _) = try imported(AveragePool.self, node("AveragePool", opset: opset, attributes))
  #expect(op.countIncludePad && op.autoPad == .valid && !op.ceilMode)
  #expect(op.dilations == (opset >= 19 ? [2, 2] : nil))
}

@Test func attributeFreeNNOpsImport() throws {
  #expect(try imported(GlobalAveragePool.self, node("GlobalAveragePool", opset: 1)).0 == .init())
  #expect(try imported(GlobalMaxPool.self, node("GlobalMaxPool", opset: 22)).0 == .init())
  #expect(try imported(MatMul.self, node("MatMul", opset: 13, inputs: ["A", "B"])).0 == .init())
}

// MARK: Normalisation

@Test func batchNormalizationAcceptsOldSpellings() throws {
  let legacy: [String: ONNXAttribute] = [
    "epsilon": .float(1e-3), "momentum": .float(0.99), "spatial": .int(1), "is_test": .int(1),
    "consumed_inputs": .ints([0, 0, 0, 1, 1]),
  ]
  let trainingOutputs = ["Y", "mean", "var", "saved_mean", "saved_var"]
  let bn = node(
    "BatchNormalization", opset: 7, inputs: ["X", "s", "b", "m", "v"], outputs: trainingOutputs,
    legacy)
  let (op, rewritten) = try imported(BatchNormalization.self, bn)
  #expect(op == BatchNormalization(epsilon: 1e-3, momentum: 0.99))
  #expect(rewritten.outputs == trainingOutputs)
  let (defaults, _) = try imported(BatchNormalization.self, node("BatchNormalization", opset: 15))
  #expect(defaults == BatchNormalization())
}

@Test func batchNormalizationRejectsTrainingMeanings() {
  rejects(
    BatchNormalization.self, node("BatchNormalization", opset: 7, ["spatial": .int(0)]),
    containing: "spatial = 0")
  rejects(
    BatchNormalization.self, node("BatchNormalization", opset: 14, ["training_mode": .int(1)]),
    containing: "training_mode = 1")
}

@Test func normalizationsReadTheirAttributes() throws {
  let instance = node("InstanceNormalization", opset: 6, ["epsilon": .float(1e-3)])
  #expect(try imported(InstanceNormalization.self, instance).0.epsilon == 1e-3)
  let layer = node(
    "LayerNormalization", opset: 17,
    ["axis": .int(1), "epsilon": .float(1e-6), "stash_type": .int(11)])
  #expect(
    try imported(LayerNormalization.self, layer).0
      == LayerNormalization(axis: 1, epsilon: 1e-6, stashType: .float64))
  let bfloat16 = node("LayerNormalization", opset: 17, ["stash_type": .int(16)])
  rejects(LayerNormalization.self, bfloat16, containing: "stash_type 16")
  let lrn = node("LRN", opset: 13, ["size": .int(5), "alpha": .float(2e-4)])
  #expect(try imported(LRN.self, lrn).0 == LRN(size: 5, alpha: 2e-4))
  rejects(LRN.self, node("LRN", opset: 1), containing: "size")
}

// MARK: Products

@Test(arguments: [7, 9, 11, 13])
func gemmReadsFlags(opset: Int) throws {
  let attributes: [String: ONNXAttribute] = [
    "alpha": .float(0.5), "beta": .float(2), "transA": .int(1), "transB": .int(0),
  ]
  let gemm = node("Gemm", opset: opset, inputs: ["A", "B", "C"], attributes)
  #expect(try imported(Gemm.self, gemm).0 == Gemm(alpha: 0.5, beta: 2, transA: true))
  rejects(Gemm.self, node("Gemm", opset: opset, ["transB": .int(2)]), containing: "transB")
}

@Test func einsumValidatesTheEquation() throws {
  let einsum = node("Einsum", opset: 12, inputs: ["a", "b"], ["equation": .string("ij,jk->ik")])
  #expect(try imported(Einsum.self, einsum).0 == Einsum(equation: "ij,jk->ik"))
  rejects(Einsum.self, node("Einsum", opset: 12), containing: "equation")
  rejects(
    Einsum.self, node("Einsum", opset: 12, ["equation": .string("...i->i")]),
    containing: "ellipsis")
}

// MARK: Resize, Upsample, Pad

@Test func resize10BecomesAsymmetricFloorWithScalesAsInputTwo() throws {
  let resize = node("Resize", opset: 10, inputs: ["X", "scales"], ["mode": .string("linear")])
  let (op, rewritten) = try imported(Resize.self, resize)
  let expected = Resize(
    coordinateTransformationMode: .asymmetric, mode: .linear, nearestMode: .floor)
  #expect(op == expected)
  #expect(rewritten.inputs == ["X", "", "scales"])
  rejects(
    Resize.self, node("Resize", opset: 10, inputs: ["X", "s"], ["mode": .string("cubic")]),
    containing: "cubic")
}

@Test(arguments: [11, 13, 18, 19])
func resizeReadsEveryAttribute(opset: Int) throws {
  var attributes: [String: ONNXAttribute] = [
    "mode": .string("cubic"), "coordinate_transformation_mode": .string("align_corners"),
    "cubic_coeff_a": .float(-0.5), "exclude_outside": .int(1),
    "extrapolation_value": .float(1), "nearest_mode": .string("ceil"),
  ]
  if opset >= 18 {
    attributes["antialias"] = .int(1)
    attributes["axes"] = .ints([2, 3])
    attributes["keep_aspect_ratio_policy"] = .string("not_smaller")
  }
  let resize = node("Resize", opset: opset, inputs: ["X", "", "", "sizes"], attributes)
  let (op, rewritten) = try imported(Resize.self, resize)
  #expect(op.mode == .cubic && op.coordinateTransformationMode == .alignCorners)
  #expect(op.cubicCoeffA == -0.5 && op.excludeOutside && op.extrapolationValue == 1)
  #expect(op.nearestMode == .ceil)
  #expect(op.antialias == (opset >= 18) && op.axes == (opset >= 18 ? [2, 3] : nil))
  #expect(op.keepAspectRatioPolicy == (opset >= 18 ? .notSmaller : .stretch))
  #expect(rewritten.inputs == ["X", "", "", "sizes"])
  let trailing = node("Resize", opset: opset, inputs: ["X", "roi", "scales", ""])
  #expect(try imported(Resize.self, trailing).1.inputs == ["X", "roi", "scales"])
  rejects(
    Resize.self, node("Resize", opset: opset, ["nearest_mode": .string("round")]),
    containing: "'round'")
}

@Test func upsample7ScalesAttributeBecomesAConstantInput() throws {
  var upsample = node(
    "Upsample", opset: 7, ["scales": .floats([1, 1, 2, 2]), "mode": .string("nearest")])
  let op = try UpsampleImport.fromONNX(&upsample)
  let expected = Resize(
    coordinateTransformationMode: .asymmetric, mode: .nearest, nearestMode: .floor)
  #expect(op == expected)
  #expect(upsample.inputs.count == 3 && upsample.inputs[0] == "X" && upsample.inputs[1].isEmpty)
  let scales = upsample.newConstants[upsample.inputs[2]]
  #expect(scales?.elements(as: Float.self) == [1, 1, 2, 2] && scales?.shape == [4])
  var shrinking = node("Upsample", opset: 7, ["scales": .floats([1, 1, 0.5, 0.5])])
  #expect(throws: GraphError.self) { try UpsampleImport.fromONNX(&shrinking) }
  var missing = node("Upsample", opset: 7)
  #expect(throws: GraphError.self) { try UpsampleImport.fromONNX(&missing) }
}

@Test(arguments: [9, 10])
func upsampleScalesInputMovesToInputTwo(opset: Int) throws {
  var upsample = node(
    "Upsample", opset: opset, inputs: ["X", "scales"], ["mode": .string("linear")])
  let op = try UpsampleImport.fromONNX(&upsample)
  #expect(op.mode == .linear && op.coordinateTransformationMode == .asymmetric)
  #expect(upsample.inputs == ["X", "", "scales"])
  var cubic = node("Upsample", opset: opset, inputs: ["X", "s"], ["mode": .string("cubic")])
  #expect(throws: GraphError.self) { try UpsampleImport.fromONNX(&cubic) }
}

@Test func pad2AttributesBecomeInputs() throws {
  let pad = node(
    "Pad", opset: 2,
    ["mode": .string("constant"), "pads": .ints([0, 1, 0, 2]), "value": .float(1.5)])
  let (op, rewritten) = try imported(Pad.self, pad)
  #expect(op == Pad(mode: .constant))
  #expect(rewritten.inputs.count == 3 && rewritten.inputs[0] == "X")
  #expect(rewritten.newConstants[rewritten.inputs[1]]?.elements(as: Int64.self) == [0, 1, 0, 2])
  #expect(rewritten.newConstants[rewritten.inputs[2]]?.elements(as: Float.self) == [1.5])
  let zero = node("Pad", opset: 2, ["mode": .string("edge"), "pads": .ints([1, 1])])
  let (edge, zeroRewritten) = try imported(Pad.self, zero)
  #expect(edge.mode == .edge && zeroRewritten.inputs.count == 2)
  rejects(Pad.self, node("Pad", opset: 2), containing: "pads attribute")
}

@Test(arguments: [11, 13, 18, 19, 21, 23])
func padInputsPassThrough(opset: Int) throws {
  let mode = opset >= 19 ? "wrap" : "reflect"
  let pad = node("Pad", opset: opset, inputs: ["X", "pads", "", ""], ["mode": .string(mode)])
  let (op, rewritten) = try imported(Pad.self, pad)
  #expect(op.mode.rawValue == mode)
  #expect(rewritten.inputs == ["X", "pads"])
  rejects(Pad.self, node("Pad", opset: opset), containing: "pads input")
  rejects(
    Pad.self, node("Pad", opset: opset, inputs: ["X", "p"], ["mode": .string("mirror")]),
    containing: "'mirror'")
}
