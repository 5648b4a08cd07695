import GraftIR

/// `y = min(max(x, min), max)`; the bounds are read from their scalar inputs at run time, and an
/// omitted bound is the type's lowest or highest value (−∞ or +∞ for floating point).
extension Clip: CPUExecutable {
  private struct Builder: NumericKernelBuilder {
    func build<T: KernelNumber>(_ type: T.Type) -> any CPUKernel {
      ClosureKernel { inputs, outputs, pool in
        let input = inputs[0]!
        let output = outputs[0]
        let lower = inputs.count > 1 ? inputs[1]?.pointer(T.self).pointee ?? T.lowest : T.lowest
        let upper = inputs.count > 2 ? inputs[2]?.pointer(T.self).pointee ?? T.highest : T.highest
        elementwiseChunks(output.count, pool: pool) { start, count in
          let x = input.pointer(T.self)
          let y = output.pointer(T.self)
          for i in start..<start + count { y[i] = Swift.min(Swift.max(x[i], lower), upper) }
        }
      }
    }
  }

  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let dtype = try context.dtype(0)
    guard let kernel = try dtype.numericKernel(Builder()) else {
      throw context.unsupported("Clip", dtype)
    }
    return kernel
  }
}
