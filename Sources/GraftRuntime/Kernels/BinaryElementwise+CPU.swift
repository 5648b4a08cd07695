import GraftIR

/// Computes `out = f(a, b)` with NumPy broadcasting, reading the operands through `plan`.
///
/// Each output segment runs one of four loops chosen by the operands' inner strides (both
/// contiguous, one a repeated scalar, both scalars), so equal shapes and scalar operands get
/// plain vectorisable loops.
@inline(__always)
func broadcastBinary<A, B, C>(
  _ plan: BroadcastPlan, _ a: RuntimeTensor, _ b: RuntimeTensor, into out: RuntimeTensor,
  pool: ThreadPool, _ f: @Sendable (A, B) -> C
) {
  let strides = plan.innerStrides
  let (strideA, strideB) = (strides[0], strides[1])
  plan.parallelSegments(pool: pool) { start, starts, length in
    let x = a.pointer(A.self) + starts[0]
    let y = b.pointer(B.self) + starts[1]
    let z = out.pointer(C.self) + start
    switch (strideA, strideB) {
    case (1, 1):
      for k in 0..<length { z[k] = f(x[k], y[k]) }
    case (1, _):
      let scalar = y[0]
      for k in 0..<length { z[k] = f(x[k], scalar) }
    case (_, 1):
      let scalar = x[0]
      for k in 0..<length { z[k] = f(scalar, y[k]) }
    default:
      z.update(repeating: f(x[0], y[0]), count: length)
    }
  }
}

/// A binary op whose output has the operands' type: Add, Sub, Mul, Div.
protocol ArithmeticCPUExecutable: BinaryElementwiseOperator, CPUExecutable {
  static func apply<T: KernelNumber>(_ a: T, _ b: T) -> T
}

/// A binary op comparing its operands into a bool tensor: Equal, Less, Greater.
protocol ComparisonCPUExecutable: BinaryElementwiseOperator, CPUExecutable {
  static func apply<T: KernelNumber>(_ a: T, _ b: T) -> Bool
}

private struct ArithmeticBuilder<Op: ArithmeticCPUExecutable>: NumericKernelBuilder {
  let plan: BroadcastPlan

  func build<T: KernelNumber>(_ type: T.Type) -> any CPUKernel {
    let plan = plan
    return ClosureKernel { inputs, outputs, pool in
      broadcastBinary(plan, inputs[0]!, inputs[1]!, into: outputs[0], pool: pool) {
        (a: T, b: T) in Op.apply(a, b)
      }
    }
  }
}

private struct ComparisonBuilder<Op: ComparisonCPUExecutable>: NumericKernelBuilder {
  let plan: BroadcastPlan

  func build<T: KernelNumber>(_ type: T.Type) -> any CPUKernel {
    let plan = plan
    return ClosureKernel { inputs, outputs, pool in
      broadcastBinary(plan, inputs[0]!, inputs[1]!, into: outputs[0], pool: pool) {
        (a: T, b: T) in Op.apply(a, b)
      }
    }
  }
}

extension KernelContext {
  /// The broadcast of inputs `0..<inputCount` to output 0.
  func broadcastPlan(inputs inputCount: Int) throws -> BroadcastPlan {
    BroadcastPlan(try (0..<inputCount).map { try shape($0) }, to: outputShapes[0])
  }
}

extension ArithmeticCPUExecutable {
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let dtype = try context.dtype(0)
    let builder = ArithmeticBuilder<Self>(plan: try context.broadcastPlan(inputs: 2))
    guard let kernel = try dtype.numericKernel(builder) else {
      throw context.unsupported(Self.opType, dtype)
    }
    return kernel
  }
}

extension ComparisonCPUExecutable {
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let dtype = try context.dtype(0)
    let builder = ComparisonBuilder<Self>(plan: try context.broadcastPlan(inputs: 2))
    // Bools compare as their 0/1 bytes.
    guard let kernel = try dtype.numericKernel(builder, boolAsByte: true) else {
      throw context.unsupported(Self.opType, dtype)
    }
    return kernel
  }
}

extension Add: ArithmeticCPUExecutable {
  @inline(__always) static func apply<T: KernelNumber>(_ a: T, _ b: T) -> T { T.sum(a, b) }
}

extension Sub: ArithmeticCPUExecutable {
  @inline(__always) static func apply<T: KernelNumber>(_ a: T, _ b: T) -> T {
    T.difference(a, b)
  }
}

extension Mul: ArithmeticCPUExecutable {
  @inline(__always) static func apply<T: KernelNumber>(_ a: T, _ b: T) -> T { T.product(a, b) }
}

/// Integer division truncates toward zero, as `Div.integer` folds it.
extension Div: ArithmeticCPUExecutable {
  @inline(__always) static func apply<T: KernelNumber>(_ a: T, _ b: T) -> T { T.quotient(a, b) }
}

extension Equal: ComparisonCPUExecutable {
  @inline(__always) static func apply<T: KernelNumber>(_ a: T, _ b: T) -> Bool { a == b }
}

extension Less: ComparisonCPUExecutable {
  @inline(__always) static func apply<T: KernelNumber>(_ a: T, _ b: T) -> Bool { a < b }
}

extension Greater: ComparisonCPUExecutable {
  @inline(__always) static func apply<T: KernelNumber>(_ a: T, _ b: T) -> Bool { a > b }
}

/// Pow: the base's type for the result; a floating-point base with an exponent of its own type
/// uses that type's `pow`, every other combination computes in double and converts back (C casts
/// for integer bases, as ONNX Runtime does).
extension Pow: CPUExecutable {
  private struct BaseBuilder: NumericKernelBuilder {
    let plan: BroadcastPlan
    let exponentType: DType
    let context: KernelContext

    func build<T: KernelNumber>(_ type: T.Type) throws -> any CPUKernel {
      if exponentType == T.dtype,
        let kernel = try T.dtype.floatingKernel(SameTypeBuilder(plan: plan))
      {
        return kernel
      }
      let builder = MixedBuilder<T>(plan: plan)
      guard let kernel = try exponentType.numericKernel(builder) else {
        throw context.unsupported("Pow exponent", exponentType)
      }
      return kernel
    }
  }

  private struct SameTypeBuilder: FloatingKernelBuilder {
    let plan: BroadcastPlan

    func build<T: KernelFloat>(_ type: T.Type) -> any CPUKernel {
      let plan = plan
      return ClosureKernel { inputs, outputs, pool in
        broadcastBinary(plan, inputs[0]!, inputs[1]!, into: outputs[0], pool: pool) {
          (x: T, y: T) in T.pow(x, y)
        }
      }
    }
  }

  private struct MixedBuilder<Base: KernelNumber>: NumericKernelBuilder {
    let plan: BroadcastPlan

    func build<E: KernelNumber>(_ type: E.Type) -> any CPUKernel {
      let plan = plan
      return ClosureKernel { inputs, outputs, pool in
        broadcastBinary(plan, inputs[0]!, inputs[1]!, into: outputs[0], pool: pool) {
          (x: Base, y: E) in Base(double: Double.pow(x.doubleValue, y.doubleValue))
        }
      }
    }
  }

  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let base = try context.dtype(0)
    let builder = BaseBuilder(
      plan: try context.broadcastPlan(inputs: 2), exponentType: try context.dtype(1),
      context: context)
    guard base != .uint8, base != .int8, let kernel = try base.numericKernel(builder) else {
      throw context.unsupported("Pow", base)
    }
    return kernel
  }
}
