import GraftIR

extension SliceOp: CPUExecutable {
  /// A strided copy. `starts`, `axes` and `steps` must be known when the plan is built; the count
  /// taken from each axis is the output's dim, so only the first position is derived here: a
  /// negative start has the axis size added, then is clamped to `[0, d]` (step > 0) or
  /// `[0, d − 1]` (step < 0).
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let shape = try context.shape(0)
    let output = context.outputShapes[0]
    let starts = try context.knownIntegers(1, op: "Slice", input: "starts") ?? []
    let axes =
      try context.knownIntegers(3, op: "Slice", input: "axes") ?? Array(starts.indices)
    let steps =
      try context.knownIntegers(4, op: "Slice", input: "steps")
      ?? Array(repeating: 1, count: starts.count)
    var indices = shape.map { Array(0..<$0) }
    for (start, (axis, step)) in zip(starts, zip(axes, steps)) {
      let axis = axis < 0 ? axis + shape.count : axis
      let size = shape[axis]
      let shifted = start < 0 ? start + size : start
      let first = min(max(shifted, 0), step > 0 ? size : size - 1)
      indices[axis] = (0..<output[axis]).map { first + $0 * step }
    }
    let copy = IndexedCopy(
      elementSize: try context.elementSize(), shape: shape, indices: indices)
    return ClosureKernel { inputs, outputs, pool in
      copy.run(from: inputs[0]!.data, to: outputs[0].data, pool: pool)
    }
  }
}
