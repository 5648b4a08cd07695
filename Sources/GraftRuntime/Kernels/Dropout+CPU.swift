import GraftIR

extension Dropout: CPUExecutable {
  /// The identity at inference: output 0 is the input's bytes and the optional bool mask (one byte
  /// per element) is all true.
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let copy = DataMovement.sameBytes(context)
    let maskCount = context.outputShapes.count > 1 ? context.outputShapes[1].reduce(1, *) : 0
    return ClosureKernel { inputs, outputs, pool in
      try copy.run(inputs: inputs, outputs: outputs, pool: pool)
      if outputs.count > 1 {
        outputs[1].data.initializeMemory(as: UInt8.self, repeating: 1, count: maskCount)
      }
    }
  }
}
