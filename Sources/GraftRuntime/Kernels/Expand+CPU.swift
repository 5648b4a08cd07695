import GraftIR

extension Expand: CPUExecutable {
  /// NumPy broadcasting: the input's shape is padded with leading 1s to the output's rank and each
  /// axis of size 1 is read at position 0 for every output position (a zero stride).
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let output = context.outputShapes[0]
    let shape = try context.shape(0)
    let padded = Array(repeating: 1, count: output.count - shape.count) + shape
    let indices = zip(padded, output).map { size, target in
      size == target ? Array(0..<target) : Array(repeating: 0, count: target)
    }
    let copy = IndexedCopy(elementSize: try context.elementSize(), shape: padded, indices: indices)
    return ClosureKernel { inputs, outputs, pool in
      copy.run(from: inputs[0]!.data, to: outputs[0].data, pool: pool)
    }
  }
}
