/// Every operator of the IR. Import, export and kernel tables are derived from this list, and the
/// coverage tests fail when one of them lacks an entry.
public let allOperatorTypes: [any Operator.Type] = [
  // Convolution, pooling, normalisation, linear algebra, resampling
  Conv.self, ConvTranspose.self, Gemm.self, MatMul.self, BatchNormalization.self,
  InstanceNormalization.self, LayerNormalization.self, MaxPool.self, AveragePool.self,
  GlobalAveragePool.self, GlobalMaxPool.self, LRN.self, Einsum.self, Resize.self, Pad.self,
  // Shape and data movement
  Concat.self, Reshape.self, Flatten.self, Transpose.self, Squeeze.self, Unsqueeze.self,
  SliceOp.self, Gather.self, Split.self, Shape.self, Size.self, Constant.self,
  ConstantOfShape.self, RangeOp.self, Expand.self, Tile.self, Identity.self, Dropout.self,
  // Elementwise
  Relu.self, Sigmoid.self, Tanh.self, Erf.self, Sqrt.self, Exp.self, Log.self, Abs.self, Neg.self,
  Reciprocal.self, Floor.self, Ceil.self, Not.self, HardSwish.self, LeakyRelu.self, Elu.self,
  Selu.self, HardSigmoid.self, Gelu.self, PRelu.self, Clip.self, Softmax.self, LogSoftmax.self,
  Add.self, Sub.self, Mul.self, Div.self, Pow.self, Equal.self, Less.self, Greater.self,
  Sum.self, Mean.self, Min.self, Max.self, Where.self, Cast.self,
  // Reductions
  ReduceMean.self, ReduceSum.self, ReduceMax.self, ReduceMin.self, ReduceL2.self, ArgMax.self,
]
