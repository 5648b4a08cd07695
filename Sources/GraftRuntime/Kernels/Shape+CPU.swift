import GraftIR

// Shape and Size depend only on the input's shape, which is fixed when the plan is built, so
// their kernels write values computed then (Session keeps such nodes when the batch is symbolic).

extension Shape: CPUExecutable {
  /// Writes dims `start..<end` of the input (negative counting from the end, both clamped to
  /// `0...rank`) as int64.
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let shape = try context.shape(0)
    func clamp(_ position: Int) -> Int {
      min(max(position < 0 ? position + shape.count : position, 0), shape.count)
    }
    let first = clamp(start)
    let dims = shape[first..<max(first, clamp(end ?? shape.count))].map(Int64.init)
    return ClosureKernel { _, outputs, _ in
      outputs[0].data.bindMemory(to: Int64.self, capacity: dims.count)
        .update(from: dims, count: dims.count)
    }
  }
}

extension Size: CPUExecutable {
  /// Writes the input's element count as an int64 scalar.
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let count = Int64(try context.shape(0).reduce(1, *))
    return ClosureKernel { _, outputs, _ in
      outputs[0].data.storeBytes(of: count, as: Int64.self)
    }
  }
}
