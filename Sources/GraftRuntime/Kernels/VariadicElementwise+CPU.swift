import GraftIR

/// A variadic elementwise op the CPU runs by folding its inputs pairwise, left to right, into the
/// output: Sum, Mean, Min, Max.
protocol VariadicCPUExecutable: VariadicElementwiseOperator, CPUExecutable {
  /// Combines the running result with the next input's element.
  static func combine<T: KernelNumber>(_ a: T, _ b: T) -> T
  /// Whether the result is divided by the input count (Mean).
  static var averages: Bool { get }
}

extension VariadicCPUExecutable {
  static var averages: Bool { false }

  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let dtype = try context.dtype(0)
    let builder = Builder<Self>(
      plan: try context.broadcastPlan(inputs: context.inputShapes.count))
    guard let kernel = try dtype.numericKernel(builder) else {
      throw context.unsupported(Self.opType, dtype)
    }
    return kernel
  }
}

private struct Builder<Op: VariadicCPUExecutable>: NumericKernelBuilder {
  let plan: BroadcastPlan

  func build<T: KernelNumber>(_ type: T.Type) -> any CPUKernel {
    let plan = plan
    let strides = plan.innerStrides
    let scale = T(int64: Int64(strides.count))
    return ClosureKernel { inputs, outputs, pool in
      let output = outputs[0]
      let operands = inputs.map { $0! }
      plan.parallelSegments(pool: pool) { start, starts, length in
        let z = output.pointer(T.self) + start
        let first = operands[0].pointer(T.self) + starts[0]
        if strides[0] == 1 {
          z.update(from: first, count: length)
        } else {
          z.update(repeating: first[0], count: length)
        }
        for input in operands.indices.dropFirst() {
          let x = operands[input].pointer(T.self) + starts[input]
          if strides[input] == 1 {
            for k in 0..<length { z[k] = Op.combine(z[k], x[k]) }
          } else {
            let scalar = x[0]
            for k in 0..<length { z[k] = Op.combine(z[k], scalar) }
          }
        }
        if Op.averages {
          for k in 0..<length { z[k] = T.quotient(z[k], scale) }
        }
      }
    }
  }
}

extension Sum: VariadicCPUExecutable {
  @inline(__always) static func combine<T: KernelNumber>(_ a: T, _ b: T) -> T { T.sum(a, b) }
}

extension Mean: VariadicCPUExecutable {
  static var averages: Bool { true }
  @inline(__always) static func combine<T: KernelNumber>(_ a: T, _ b: T) -> T { T.sum(a, b) }
}

extension Min: VariadicCPUExecutable {
  @inline(__always) static func combine<T: KernelNumber>(_ a: T, _ b: T) -> T {
    T.minimum(a, b)
  }
}

extension Max: VariadicCPUExecutable {
  @inline(__always) static func combine<T: KernelNumber>(_ a: T, _ b: T) -> T {
    T.maximum(a, b)
  }
}
