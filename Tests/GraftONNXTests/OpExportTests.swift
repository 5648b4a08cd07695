import GraftIR
import Testing

@testable import GraftONNX

/// An input of the node under test.
enum ExportInput: Sendable {
  /// A graph input of this type.
  case value(ValueType)
  /// A graph constant.
  case constant(Tensor)
  case omitted

  static func float(_ shape: [Dim]) -> ExportInput { .value(ValueType(.float32, shape)) }
  static func ints(_ values: [Int64]) -> ExportInput {
    .constant(Tensor(values, shape: [values.count]))
  }
}

/// One IR node to export, and the opsets at which it is written as itself.
struct ExportCase: Sendable, CustomTestStringConvertible {
  var op: any ONNXExportable
  var inputs: [ExportInput]
  var outputs = 1
  /// Below this opset the export must throw.
  var minimum = 13
  /// From this opset on the written node re-imports as the same op with the same inputs; below it
  /// (from `minimum` on) it is an equivalent re-spelling: other ops, inputs or attributes
  /// (ExportDecompositionTests checks those that compute differently numerically).
  var native = 13
  var label = ""

  var testDescription: String { "\(op.opType)\(label.isEmpty ? "" : " (\(label))")" }
}

/// The node `node` reading `x0, x1, …` (omitted inputs as "") and writing `y0, y1, …`, in a graph
/// typed by inference, and the export context of that node at `opset`.
func exportContext(_ test: ExportCase, opset: Int) throws -> ONNXExportContext {
  var graph = Graph()
  var names: [String] = []
  for (index, input) in test.inputs.enumerated() {
    let name = "x\(index)"
    switch input {
    case .value(let type): graph.inputs.append(ValueInfo(name: name, type: type))
    case .constant(let tensor): graph.constants[name] = tensor
    case .omitted:
      names.append("")
      continue
    }
    names.append(name)
  }
  let outputs = (0..<test.outputs).map { "y\($0)" }
  graph.nodes = [Node(name: "node", op: test.op, inputs: names, outputs: outputs)]
  graph.outputs = outputs.map { ValueInfo(name: $0, type: .unknown) }
  try graph.inferTypes()
  var context = ONNXExportContext(
    opset: opset, graph: graph, usedNames: Set(names + outputs + ["node"]))
  context.node = graph.nodes[0]
  return context
}

private let x4: ExportInput = .float([2, 3, 4, 5])
private let image: ExportInput = .float([1, 4, 6, 6])
private let scalar: ExportInput = .constant(Tensor(scalar: Float(0.5)))
private let booleans: ExportInput = .value(ValueType(.bool, [2, 3]))

private let exportCases: [ExportCase] = {
  var cases: [ExportCase] = [
    // Convolution, pooling, normalisation, linear algebra
    ExportCase(
      op: Conv(
        autoPad: .notSet, dilations: [2, 1], group: 2, kernelShape: [3, 3], pads: [1, 1, 2, 0],
        strides: [1, 2]),
      inputs: [image, .float([4, 2, 3, 3]), .float([4])]),
    ExportCase(op: Conv(autoPad: .sameUpper), inputs: [image, .float([2, 4, 3, 3])]),
    ExportCase(
      op: ConvTranspose(
        dilations: [1, 2], group: 2, kernelShape: [3, 3], outputPadding: [1, 0],
        pads: [1, 0, 1, 0], strides: [2, 2]),
      inputs: [image, .float([4, 1, 3, 3])]),
    ExportCase(
      op: ConvTranspose(autoPad: .sameLower, outputShape: [12, 12], strides: [2, 2]),
      inputs: [image, .float([4, 1, 3, 3])]),
    ExportCase(
      op: Gemm(alpha: 0.5, beta: 2, transA: true, transB: false),
      inputs: [.float([3, 2]), .float([3, 4]), .float([4])]),
    ExportCase(op: MatMul(), inputs: [.float([2, 3]), .float([3, 4])]),
    ExportCase(
      op: BatchNormalization(epsilon: 1e-3, momentum: 0.99),
      inputs: [image] + Array(repeating: .float([4]), count: 4)),
    ExportCase(
      op: InstanceNormalization(epsilon: 1e-3), inputs: [image, .float([4]), .float([4])]),
    ExportCase(
      op: LayerNormalization(axis: 1, epsilon: 1e-3), inputs: [x4, .float([3, 4, 5])],
      outputs: 3, native: 17),
    ExportCase(
      op: LayerNormalization(stashType: .float64), inputs: [x4, .float([5]), .float([5])],
      native: 17, label: "float64 stash"),
    ExportCase(
      op: LayerNormalization(), inputs: [.value(ValueType(.float32, nil)), .float([5])],
      minimum: 17, label: "unknown rank"),
    ExportCase(
      op: MaxPool(
        kernelShape: [2, 2], ceilMode: true, dilations: [1, 2], pads: [0, 0, 1, 1],
        storageOrder: 1, strides: [2, 2]),
      inputs: [image], outputs: 2),
    ExportCase(op: MaxPool(kernelShape: [3, 3], autoPad: .valid), inputs: [image]),
    ExportCase(
      op: AveragePool(
        kernelShape: [3, 3], autoPad: .sameLower, ceilMode: true, countIncludePad: true,
        strides: [2, 2]),
      inputs: [image]),
    ExportCase(
      op: AveragePool(kernelShape: [2, 2], dilations: [2, 2], pads: [1, 1, 0, 0]),
      inputs: [image], minimum: 19, label: "dilated"),
    ExportCase(op: GlobalAveragePool(), inputs: [image]),
    ExportCase(op: GlobalMaxPool(), inputs: [image]),
    ExportCase(op: LRN(size: 3, alpha: 1e-3, beta: 0.5, bias: 2), inputs: [image]),
    ExportCase(op: Einsum(equation: "ij,jk->ik"), inputs: [.float([2, 3]), .float([3, 4])]),
    // Resampling and padding
    ExportCase(
      op: Resize(coordinateTransformationMode: .alignCorners, mode: .linear),
      inputs: [image, .omitted, .constant(Tensor([1, 1, 2, 2] as [Float], shape: [4]))]),
    ExportCase(
      op: Resize(cubicCoeffA: -0.5, excludeOutside: true, mode: .cubic),
      inputs: [image, .omitted, .omitted, .ints([1, 4, 9, 9])]),
    ExportCase(
      op: Resize(coordinateTransformationMode: .asymmetric, nearestMode: .floor),
      inputs: [image, .omitted, .constant(Tensor([1, 1, 1.5, 2] as [Float], shape: [4]))]),
    ExportCase(
      op: Resize(coordinateTransformationMode: .tfCropAndResize, extrapolationValue: 1),
      inputs: [
        image, .constant(Tensor([0, 0, 0.1, 0.1, 1, 1, 0.9, 0.9] as [Float], shape: [8])),
        .omitted, .ints([1, 4, 3, 3]),
      ]),
    ExportCase(
      op: Resize(antialias: true, mode: .linear),
      inputs: [image, .omitted, .omitted, .ints([1, 4, 3, 3])], minimum: 18, label: "antialias"),
    ExportCase(
      op: Resize(axes: [2, 3]), inputs: [image, .omitted, .omitted, .ints([3, 3])], minimum: 18,
      label: "axes"),
    ExportCase(
      op: Resize(keepAspectRatioPolicy: .notLarger),
      inputs: [image, .omitted, .omitted, .ints([1, 4, 3, 9])], minimum: 18,
      label: "not_larger"),
    ExportCase(
      op: Resize(coordinateTransformationMode: .halfPixelSymmetric, mode: .linear),
      inputs: [image, .omitted, .omitted, .ints([1, 4, 3, 3])], minimum: 19,
      label: "half_pixel_symmetric"),
    ExportCase(
      op: Resize(coordinateTransformationMode: .tfHalfPixelForNN),
      inputs: [image, .omitted, .omitted, .ints([1, 4, 3, 3])], minimum: 22,
      label: "tf_half_pixel_for_nn"),
    ExportCase(op: Pad(mode: .reflect), inputs: [image, .ints([0, 0, 1, 2, 0, 0, 2, 1])]),
    ExportCase(
      op: Pad(), inputs: [image, .value(ValueType(.int64, [8])), scalar], label: "dynamic pads"),
    ExportCase(
      op: Pad(mode: .wrap), inputs: [image, .ints([0, 0, 1, 2, 0, 0, 2, 1])], minimum: 19,
      label: "wrap"),
    ExportCase(
      op: Pad(), inputs: [image, .ints([1, 2, 3, 0]), .omitted, .ints([-1, 1])], native: 18,
      label: "axes"),
    ExportCase(
      op: Pad(), inputs: [image, .ints([1, 2]), .omitted, .value(ValueType(.int64, [1]))],
      minimum: 18, label: "dynamic axes"),
    // Shape and data movement
    ExportCase(op: Concat(axis: 1), inputs: [x4, x4]),
    ExportCase(op: Reshape(), inputs: [x4, .ints([0, -1])]),
    ExportCase(
      op: Reshape(allowzero: true), inputs: [x4, .ints([6, 20])], native: 14, label: "allowzero"),
    ExportCase(
      op: Reshape(allowzero: true), inputs: [.float([0, 3]), .ints([3, 0])], minimum: 14,
      label: "allowzero with 0"),
    ExportCase(op: Flatten(axis: 2), inputs: [x4]),
    ExportCase(op: Transpose(perm: [1, 0, 3, 2]), inputs: [x4]),
    ExportCase(op: Transpose(), inputs: [x4]),
    ExportCase(op: Squeeze(), inputs: [.float([2, 1, 3]), .ints([1])]),
    ExportCase(op: Unsqueeze(), inputs: [x4, .ints([0, -1])]),
    ExportCase(
      op: SliceOp(), inputs: [x4, .ints([1, 0]), .ints([3, 5]), .ints([2, 3]), .ints([1, 2])]),
    ExportCase(op: Gather(axis: 1), inputs: [x4, .value(ValueType(.int64, [2]))]),
    ExportCase(op: Split(axis: 1), inputs: [x4, .ints([1, 2])], outputs: 2),
    ExportCase(op: Split(axis: -1, numOutputs: 5), inputs: [x4], outputs: 5, native: 18),
    ExportCase(
      op: Split(axis: 3, numOutputs: 2), inputs: [x4], outputs: 2, native: 18, label: "uneven"),
    ExportCase(op: Shape(), inputs: [x4]),
    ExportCase(op: Shape(start: 1, end: -1), inputs: [x4], native: 15),
    ExportCase(op: Shape(start: -2), inputs: [x4], native: 15),
    ExportCase(op: Size(), inputs: [x4]),
    ExportCase(op: Constant(value: Tensor([1, 2, 3] as [Int32], shape: [3])), inputs: []),
    ExportCase(
      op: ConstantOfShape(value: Tensor([7] as [Int64], shape: [1])), inputs: [.ints([2, 3])]),
    ExportCase(op: ConstantOfShape(), inputs: [.ints([2, 3])]),
    ExportCase(
      op: RangeOp(),
      inputs: [Float(1), 7, 2].map { .constant(Tensor(scalar: $0)) }),
    ExportCase(op: Expand(), inputs: [.float([3, 1]), .ints([2, 3, 4])]),
    ExportCase(op: Tile(), inputs: [x4, .ints([1, 2, 1, 3])]),
    ExportCase(op: Identity(), inputs: [x4]),
    ExportCase(op: Dropout(seed: 3), inputs: [x4, scalar]),
    ExportCase(op: Dropout(), inputs: [x4]),
    // Elementwise
    ExportCase(op: Not(), inputs: [booleans]),
    ExportCase(op: HardSwish(), inputs: [x4], native: 14),
    ExportCase(op: LeakyRelu(alpha: 0.2), inputs: [x4]),
    ExportCase(op: Elu(alpha: 0.5), inputs: [x4]),
    ExportCase(op: Selu(alpha: 1.5, gamma: 1.1), inputs: [x4]),
    ExportCase(op: HardSigmoid(alpha: 0.3, beta: 0.4), inputs: [x4]),
    ExportCase(op: Gelu(), inputs: [x4], native: 20),
    ExportCase(op: Gelu(approximate: .tanh), inputs: [x4], native: 20, label: "tanh"),
    ExportCase(op: PRelu(), inputs: [x4, .float([5])]),
    ExportCase(op: Clip(), inputs: [x4, scalar, .constant(Tensor(scalar: Float(2)))]),
    ExportCase(op: Clip(), inputs: [x4, .omitted, scalar], label: "max only"),
    ExportCase(op: Softmax(axis: 1), inputs: [x4]),
    ExportCase(op: LogSoftmax(), inputs: [x4]),
    ExportCase(
      op: Softmax(axis: 3, coerceTo2D: true), inputs: [x4], native: 22, label: "2-D, last axis"),
    ExportCase(op: Softmax(axis: 1, coerceTo2D: true), inputs: [x4], native: 22, label: "2-D"),
    ExportCase(op: LogSoftmax(axis: 2, coerceTo2D: true), inputs: [x4], native: 22, label: "2-D"),
    ExportCase(op: Where(), inputs: [booleans, .float([2, 3]), .float([3])]),
    ExportCase(op: Cast(to: .float16), inputs: [x4]),
    ExportCase(op: Cast(to: .bool), inputs: [x4]),
    // Reductions
    ExportCase(op: ReduceMean(keepdims: false), inputs: [x4, .ints([1, -1])]),
    ExportCase(op: ReduceSum(noopWithEmptyAxes: true), inputs: [x4, .ints([2])]),
    ExportCase(op: ReduceSum(noopWithEmptyAxes: true), inputs: [x4], label: "no axes"),
    ExportCase(op: ReduceMax(), inputs: [x4]),
    ExportCase(op: ReduceMin(noopWithEmptyAxes: true), inputs: [x4, .ints([0])], native: 18),
    ExportCase(op: ReduceL2(keepdims: false), inputs: [x4, .ints([])], native: 18),
    ExportCase(
      op: ReduceMax(noopWithEmptyAxes: true), inputs: [x4], minimum: 18, label: "no-op"),
    ExportCase(
      op: ReduceMin(), inputs: [x4, .value(ValueType(.int64, [1]))], minimum: 18,
      label: "dynamic axes"),
    ExportCase(
      op: ReduceSum(), inputs: [x4, .value(ValueType(.int64, [1]))], label: "dynamic axes"),
    ExportCase(op: ArgMax(axis: 1, keepdims: false, selectLastIndex: true), inputs: [x4]),
  ]
  let unary: [any ONNXExportable] = [
    Relu(), Sigmoid(), Tanh(), Erf(), Sqrt(), Exp(), Log(), Abs(), Neg(), Reciprocal(), Floor(),
    Ceil(),
  ]
  cases += unary.map { ExportCase(op: $0, inputs: [x4]) }
  let binary: [any ONNXExportable] = [
    Add(), Sub(), Mul(), Div(), Pow(), Equal(), Less(), Greater(),
  ]
  cases += binary.map { ExportCase(op: $0, inputs: [x4, .float([5])]) }
  let variadic: [any ONNXExportable] = [Sum(), Mean(), Min(), Max()]
  cases += variadic.map { ExportCase(op: $0, inputs: [x4, .float([5]), .float([4, 1])]) }
  return cases
}()

@Test func everyIROperatorHasAnExportCase() {
  let covered = Set(exportCases.map { $0.op.opType })
  let missing = allOperatorTypes.map { $0.opType }.filter { !covered.contains($0) }
  #expect(missing.isEmpty, "no export case for \(missing)")
}

@Test(arguments: exportCases, 13...21)
func exportedNodeReimportsAsTheSameOp(test: ExportCase, opset: Int) throws {
  var context = try exportContext(test, opset: opset)
  let original = context.node
  guard opset >= test.minimum else {
    #expect {
      _ = try test.op.toONNX(&context)
    } throws: { error in
      guard case GraphError.invalidOperator(let message) = error else { return false }
      return message.contains(test.minimum > 21 ? "opset" : "opset \(test.minimum)")
    }
    return
  }
  let written = try test.op.toONNX(&context)
  for var node in written {
    #expect(node.domain == "" && node.opset == opset)
    let importer = try #require(ONNXOperators.importer(for: node.opType), "\(node.opType)")
    _ = try importer(&node)
  }
  let outputs = Set(written.flatMap(\.outputs))
  #expect(original.outputs.allSatisfy { $0.isEmpty || outputs.contains($0) })
  guard opset >= test.native else { return }
  try #require(written.count == 1)
  var node = written[0]
  #expect(node.name == original.name && node.opType == original.opType)
  #expect(node.outputs == original.outputs)
  let importer = try #require(ONNXOperators.importer(for: node.opType))
  let op = try importer(&node)
  #expect(operatorsEqual(op, original.op), "\(op) is not \(original.op)")
  // Inputs keep their names, except attribute-era ones, which import as new equal constants.
  #expect(node.inputs.count == original.inputs.count)
  for (imported, name) in zip(node.inputs, original.inputs) where imported != name {
    let value = try #require(node.newConstants[imported], "input \(imported) is not \(name)")
    #expect(value.integers() == context.graph.constants[name]?.integers())
  }
}
