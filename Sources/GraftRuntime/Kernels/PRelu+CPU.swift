import GraftIR

/// `y = x < 0 ? slope · x : x`, with `slope` broadcast to X through the same plan as the binary
/// ops (a per-channel `[C, 1, 1]` slope becomes one scalar per row of `H·W`).
extension PRelu: CPUExecutable {
  private struct Builder: NumericKernelBuilder {
    let plan: BroadcastPlan

    func build<T: KernelNumber>(_ type: T.Type) -> any CPUKernel {
      let plan = plan
      return ClosureKernel { inputs, outputs, pool in
        broadcastBinary(plan, inputs[0]!, inputs[1]!, into: outputs[0], pool: pool) {
          (x: T, slope: T) in x < T.zero ? T.product(slope, x) : x
        }
      }
    }
  }

  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let dtype = try context.dtype(0)
    let builder = Builder(plan: try context.broadcastPlan(inputs: 2))
    guard Self.acceptedTypes.contains(dtype), let kernel = try dtype.numericKernel(builder) else {
      throw context.unsupported("PRelu", dtype)
    }
    return kernel
  }
}
