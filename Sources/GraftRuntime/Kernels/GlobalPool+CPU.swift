import GraftIR

extension GlobalAveragePool: CPUExecutable {
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    try globalPoolKernel(context) { values, count in values.reduce(0, +) / Float(count) }
  }
}

extension GlobalMaxPool: CPUExecutable {
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    try globalPoolKernel(context) { values, _ in values.dropFirst().reduce(values[0], Swift.max) }
  }
}

extension GlobalPoolingOperator {
  /// A kernel reducing each channel plane of X `[N, C, D…]` (float32; float16 and float64 by
  /// conversion) to one value with `reduce`, which gets the plane's cells and their count.
  func globalPoolKernel(
    _ context: KernelContext,
    reduce: @escaping @Sendable (UnsafeBufferPointer<Float>, Int) -> Float
  ) throws -> any CPUKernel {
    let x = try context.shape(0)
    let planes = x[0] * x[1]
    let size = x[2...].reduce(1, *)
    return try Float32Bridge.kernel(context, op: Self.opType) { _ in
      ClosureKernel { inputs, outputs, pool in
        let x = inputs[0]!
        let y = outputs[0]
        pool.parallelFor(planes, minimumChunk: max(1, 4096 / max(size, 1))) { planes in
          for plane in planes {
            y.floats[plane] = reduce(
              UnsafeBufferPointer(start: x.floats + plane * size, count: size), size)
          }
        }
      }
    }
  }
}
