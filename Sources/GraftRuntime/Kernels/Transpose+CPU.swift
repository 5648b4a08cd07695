import GraftIR

extension Transpose: CPUExecutable {
  /// Output axis `a` walks input axis `perm[a]`. Axes that stay neighbours merge at plan time, so
  /// NCHW → NHWC runs as a tiled `[C, H·W]` → `[H·W, C]` transpose per image and a permutation
  /// that keeps the innermost axis copies whole rows.
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let shape = try context.shape(0)
    let perm = self.perm ?? Array(shape.indices.reversed())
    let copy = IndexedCopy(
      elementSize: try context.elementSize(), shape: shape, perm: perm,
      indices: perm.map { Array(0..<shape[$0]) })
    return ClosureKernel { inputs, outputs, pool in
      copy.run(from: inputs[0]!.data, to: outputs[0].data, pool: pool)
    }
  }
}
