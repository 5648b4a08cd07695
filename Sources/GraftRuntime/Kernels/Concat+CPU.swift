import GraftIR

extension Concat: CPUExecutable {
  /// Each input is copied into its box of the output: rows of `input.shape[axis…]` elements, one
  /// per position of the axes before `axis`, at the input's offset along `axis`.
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let output = context.outputShapes[0]
    let axis = self.axis < 0 ? self.axis + output.count : self.axis
    let elementSize = context.outputTypes[0].byteSize
    let strides = DataMovement.strides(output).map { $0 * elementSize }
    var offset = 0
    var copies: [(input: Int, copy: IndexedCopy)] = []
    for index in context.inputShapes.indices {
      let shape = try context.shape(index)
      let inputStrides = DataMovement.strides(shape).map { $0 * elementSize }
      let copy = IndexedCopy(
        elementSize: elementSize,
        walks: zip(shape, inputStrides).map { .stride(start: 0, step: $1, count: $0) },
        destinationStrides: strides, destinationBase: offset * strides[axis])
      copies.append((index, copy))
      offset += shape[axis]
    }
    return ClosureKernel { [copies] inputs, outputs, pool in
      for (index, copy) in copies {
        copy.run(from: inputs[index]!.data, to: outputs[0].data, pool: pool)
      }
    }
  }
}
