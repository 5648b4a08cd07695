import GraftIR

/// A unary elementwise op the CPU runs by applying its scalar function to every element.
///
/// Float16 computes through float32 for the transcendental functions (see `KernelFloat`).
/// Ops that also accept integers (Relu, Abs, Neg) conform to `IntegerUnaryCPUExecutable`.
protocol UnaryCPUExecutable: UnaryElementwiseOperator, CPUExecutable {
  /// `y` for one floating-point element `x`.
  func apply<T: KernelFloat>(_ x: T) -> T
}

/// A unary op that is also defined on integer elements.
protocol IntegerUnaryCPUExecutable: UnaryCPUExecutable {
  /// `y` for one integer element `x`, wrapping as C does.
  func apply<T: KernelNumber & FixedWidthInteger>(_ x: T) -> T
}

/// Runs `body` on contiguous chunks of `count` elements, in parallel for large tensors.
@inline(__always)
func elementwiseChunks(
  _ count: Int, pool: ThreadPool, _ body: @Sendable (Int, Int) -> Void
) {
  pool.parallelFor(count, minimumChunk: elementwiseChunk) { range in
    body(range.lowerBound, range.count)
  }
}

private struct UnaryFloatBuilder<Op: UnaryCPUExecutable>: FloatingKernelBuilder {
  let op: Op

  func build<T: KernelFloat>(_ type: T.Type) -> any CPUKernel {
    let op = op
    return ClosureKernel { inputs, outputs, pool in
      let input = inputs[0]!
      let output = outputs[0]
      elementwiseChunks(output.count, pool: pool) { start, count in
        let x = input.pointer(T.self)
        let y = output.pointer(T.self)
        for i in start..<start + count { y[i] = op.apply(x[i]) }
      }
    }
  }
}

private struct UnaryIntegerBuilder<Op: IntegerUnaryCPUExecutable> {
  let op: Op

  func build<T: KernelNumber & FixedWidthInteger>(_ type: T.Type) -> any CPUKernel {
    let op = op
    return ClosureKernel { inputs, outputs, pool in
      let input = inputs[0]!
      let output = outputs[0]
      elementwiseChunks(output.count, pool: pool) { start, count in
        let x = input.pointer(T.self)
        let y = output.pointer(T.self)
        for i in start..<start + count { y[i] = op.apply(x[i]) }
      }
    }
  }
}

extension UnaryCPUExecutable {
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let dtype = try context.dtype(0)
    if let kernel = try dtype.floatingKernel(UnaryFloatBuilder(op: self)) { return kernel }
    if let integerOp = self as? any IntegerUnaryCPUExecutable,
      let kernel = integerOp.integerKernel(dtype)
    {
      return kernel
    }
    throw context.unsupported(Self.opType, dtype)
  }
}

extension IntegerUnaryCPUExecutable {
  fileprivate func integerKernel(_ dtype: DType) -> (any CPUKernel)? {
    let builder = UnaryIntegerBuilder(op: self)
    return switch dtype {
    case .int64: builder.build(Int64.self)
    case .int32: builder.build(Int32.self)
    case .int8: builder.build(Int8.self)
    case .uint8: builder.build(UInt8.self)
    default: nil
    }
  }
}

extension Relu: IntegerUnaryCPUExecutable {
  @inline(__always) func apply<T: KernelFloat>(_ x: T) -> T { x > 0 ? x : 0 }
  @inline(__always) func apply<T: KernelNumber & FixedWidthInteger>(_ x: T) -> T {
    x > 0 ? x : 0
  }
}

extension Abs: IntegerUnaryCPUExecutable {
  @inline(__always) func apply<T: KernelFloat>(_ x: T) -> T { Swift.abs(x) }
  @inline(__always) func apply<T: KernelNumber & FixedWidthInteger>(_ x: T) -> T {
    x < 0 ? 0 &- x : x
  }
}

extension Neg: IntegerUnaryCPUExecutable {
  @inline(__always) func apply<T: KernelFloat>(_ x: T) -> T { -x }
  @inline(__always) func apply<T: KernelNumber & FixedWidthInteger>(_ x: T) -> T { 0 &- x }
}

extension Sigmoid: UnaryCPUExecutable {
  @inline(__always) func apply<T: KernelFloat>(_ x: T) -> T { 1 / (1 + T.exp(-x)) }
}

extension Tanh: UnaryCPUExecutable {
  @inline(__always) func apply<T: KernelFloat>(_ x: T) -> T { T.tanh(x) }
}

extension Erf: UnaryCPUExecutable {
  @inline(__always) func apply<T: KernelFloat>(_ x: T) -> T { T.erf(x) }
}

extension Sqrt: UnaryCPUExecutable {
  @inline(__always) func apply<T: KernelFloat>(_ x: T) -> T { x.squareRoot() }
}

extension Exp: UnaryCPUExecutable {
  @inline(__always) func apply<T: KernelFloat>(_ x: T) -> T { T.exp(x) }
}

extension Log: UnaryCPUExecutable {
  @inline(__always) func apply<T: KernelFloat>(_ x: T) -> T { T.log(x) }
}

extension Reciprocal: UnaryCPUExecutable {
  @inline(__always) func apply<T: KernelFloat>(_ x: T) -> T { 1 / x }
}

extension Floor: UnaryCPUExecutable {
  @inline(__always) func apply<T: KernelFloat>(_ x: T) -> T { x.rounded(.down) }
}

extension Ceil: UnaryCPUExecutable {
  @inline(__always) func apply<T: KernelFloat>(_ x: T) -> T { x.rounded(.up) }
}

extension HardSwish: UnaryCPUExecutable {
  @inline(__always) func apply<T: KernelFloat>(_ x: T) -> T {
    x * Swift.max(0, Swift.min(1, x / 6 + 0.5))
  }
}

extension LeakyRelu: UnaryCPUExecutable {
  @inline(__always) func apply<T: KernelFloat>(_ x: T) -> T { x >= 0 ? x : T(alpha) * x }
}

extension Elu: UnaryCPUExecutable {
  @inline(__always) func apply<T: KernelFloat>(_ x: T) -> T {
    x >= 0 ? x : T(alpha) * (T.exp(x) - 1)
  }
}

extension Selu: UnaryCPUExecutable {
  @inline(__always) func apply<T: KernelFloat>(_ x: T) -> T {
    x > 0 ? T(gamma) * x : T(gamma) * T(alpha) * (T.exp(x) - 1)
  }
}

extension HardSigmoid: UnaryCPUExecutable {
  @inline(__always) func apply<T: KernelFloat>(_ x: T) -> T {
    Swift.max(0, Swift.min(1, T(alpha) * x + T(beta)))
  }
}

extension Gelu: UnaryCPUExecutable {
  @inline(__always) func apply<T: KernelFloat>(_ x: T) -> T {
    switch approximate {
    case .exact:
      return x / 2 * (1 + T.erf(x * T(0.70710678118654752440)))
    case .tanh:
      let inner = T(0.79788456080286535588) * (x + T(0.044715) * x * x * x)
      return x / 2 * (1 + T.tanh(inner))
    }
  }
}

extension Not: CPUExecutable {
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    ClosureKernel { inputs, outputs, pool in
      let input = inputs[0]!
      let output = outputs[0]
      elementwiseChunks(output.count, pool: pool) { start, count in
        let x = input.pointer(UInt8.self)
        let y = output.pointer(UInt8.self)
        for i in start..<start + count { y[i] = x[i] ^ 1 }
      }
    }
  }
}
