import GraftIR

extension Dropout: CPUExecutable {
  /// The identity at inference: output 0 is the input's bytes and the optional bool mask (one byte
  /// per element) is all true. A `training_mode` that is only known at run time is checked then:
  /// true with a ratio other than 0 would drop elements at random, which Graft does not do.
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let copy = DataMovement.sameBytes(context)
    let maskCount = context.outputShapes.count > 1 ? context.outputShapes[1].reduce(1, *) : 0
    let node = context.nodeName
    return ClosureKernel { inputs, outputs, pool in
      if inputs.count > 2, let training = inputs[2], training.data.load(as: Bool.self) {
        let ratio = inputs[1].map(Self.ratio) ?? 0.5
        guard ratio == 0 else {
          throw RuntimeError.kernel(
            node: node,
            "Dropout: training_mode is true with ratio \(ratio), which drops elements at "
              + "random; Graft runs models for inference only")
        }
      }
      try copy.run(inputs: inputs, outputs: outputs, pool: pool)
      if outputs.count > 1 {
        outputs[1].data.initializeMemory(as: UInt8.self, repeating: 1, count: maskCount)
      }
    }
  }

  /// The scalar `ratio` input, whatever its floating-point type.
  private static func ratio(_ tensor: RuntimeTensor) -> Double {
    switch tensor.dtype {
    case .float16: Double(tensor.data.load(as: Float16.self))
    case .float64: tensor.data.load(as: Double.self)
    default: Double(tensor.data.load(as: Float.self))
    }
  }
}
