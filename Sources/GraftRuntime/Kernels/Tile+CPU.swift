import GraftIR

extension Tile: CPUExecutable {
  /// `output[i0, …, ik] = input[i0 mod d0, …, ik mod dk]`: each output axis walks the input axis
  /// round and round, so the repeat counts are read off the output shape.
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let shape = try context.shape(0)
    let indices = zip(shape, context.outputShapes[0]).map { size, count in
      size == 0 ? [] : (0..<count).map { $0 % size }
    }
    let copy = IndexedCopy(elementSize: try context.elementSize(), shape: shape, indices: indices)
    return ClosureKernel { inputs, outputs, pool in
      copy.run(from: inputs[0]!.data, to: outputs[0].data, pool: pool)
    }
  }
}
