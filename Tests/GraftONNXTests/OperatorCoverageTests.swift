import GraftIR
import Testing

@testable import GraftONNX

/// The op set the IR promises (issue 2), by ONNX op type.
private let promisedOperators = """
  Conv ConvTranspose Gemm MatMul BatchNormalization InstanceNormalization LayerNormalization Relu
  LeakyRelu PRelu Elu Selu Sigmoid HardSigmoid HardSwish Tanh Softmax LogSoftmax Gelu Erf Clip Add
  Sub Mul Div Pow Sqrt Exp Log Abs Neg Reciprocal Floor Ceil Min Max Sum Mean MaxPool AveragePool
  GlobalAveragePool GlobalMaxPool LRN Concat Reshape Flatten Transpose Squeeze Unsqueeze Slice
  Gather Split Pad Resize Upsample Shape Size Cast Constant ConstantOfShape Range Expand Tile
  Identity Dropout ReduceMean ReduceSum ReduceMax ReduceMin ReduceL2 ArgMax Where Equal Less
  Greater Not Einsum
  """.split(whereSeparator: \.isWhitespace).map(String.init)

@Test func everyPromisedOpImportsFromONNX() {
  let missing = promisedOperators.filter { ONNXOperators.importer(for: $0) == nil }
  #expect(missing.isEmpty, "no ONNX import for \(missing)")
}

@Test func everyIROperatorHasAnONNXImport() {
  #expect(ONNXOperators.operatorsWithoutImport.isEmpty)
  let names = allOperatorTypes.map { $0.opType }
  #expect(Set(names).count == names.count, "an op is listed twice")
}

@Test func everyIROperatorHasAnONNXExport() {
  #expect(ONNXOperators.operatorsWithoutExport.isEmpty)
}
