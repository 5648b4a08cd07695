import GraftIR

extension Split: CPUExecutable {
  /// Output `j` copies positions `start_j..<start_j + d_j` of the input along `axis`, where `d_j`
  /// is the output's size on that axis (fixed by inference from `split` or the equal parts).
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let shape = try context.shape(0)
    let axis = self.axis < 0 ? self.axis + shape.count : self.axis
    let elementSize = try context.elementSize()
    var start = 0
    let copies = context.outputShapes.map { part in
      var indices = shape.map { Array(0..<$0) }
      indices[axis] = Array(start..<(start + part[axis]))
      start += part[axis]
      return IndexedCopy(elementSize: elementSize, shape: shape, indices: indices)
    }
    return ClosureKernel { inputs, outputs, pool in
      for (copy, output) in zip(copies, outputs) {
        copy.run(from: inputs[0]!.data, to: output.data, pool: pool)
      }
    }
  }
}
