import GraftIR

// Reshape, Flatten, Squeeze and Unsqueeze keep the elements in row-major order: each kernel copies
// the bytes, whatever the dtype.

extension Reshape: CPUExecutable {
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    DataMovement.sameBytes(context)
  }
}

extension Flatten: CPUExecutable {
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    DataMovement.sameBytes(context)
  }
}

extension Squeeze: CPUExecutable {
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    DataMovement.sameBytes(context)
  }
}

extension Unsqueeze: CPUExecutable {
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    DataMovement.sameBytes(context)
  }
}
