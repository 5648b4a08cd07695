import GraftIR

extension Identity: CPUExecutable {
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    ClosureKernel { inputs, outputs, _ in
      outputs[0].data.copyMemory(from: inputs[0]!.data, byteCount: outputs[0].byteCount)
    }
  }
}
