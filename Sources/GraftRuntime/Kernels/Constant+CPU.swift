import GraftIR

// Constant and ConstantOfShape fold at plan time unless the result is too large to keep as a
// constant (see TensorIndexing.maxFoldedElements); their kernels then write it on each run.

extension Constant: CPUExecutable {
  /// Copies `value`'s bytes.
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let value = value
    return ClosureKernel { _, outputs, _ in
      value.buffer.withUnsafeBytes { bytes in
        guard let base = bytes.baseAddress else { return }
        outputs[0].data.copyMemory(from: base, byteCount: bytes.count)
      }
    }
  }
}

extension ConstantOfShape: CPUExecutable {
  /// Fills the output (shape from the shape input, fixed at plan time) with `value`'s element.
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let value = value
    let count = context.outputShapes[0].reduce(1, *)
    return ClosureKernel { _, outputs, _ in
      value.buffer.withUnsafeBytes { element in
        DataMovement.fill(
          outputs[0].data, count: count, elementSize: value.dtype.byteSize,
          with: element.baseAddress!)
      }
    }
  }
}
