import GraftIR

/// A reduction the CPU runs by folding the reduced elements of each output into an accumulator
/// (`KernelNumber.Accumulator`: float32 for float16, int64 for integers): in index order, or
/// along a contiguous row with `interleavedFold`. The order depends only on the shape, so results
/// do not depend on the thread count.
protocol ReductionCPUExecutable: ReductionOperator, CPUExecutable {
  /// The accumulator before any element: the reduction's identity (the result for no elements).
  static func identity<T: KernelNumber>(_ type: T.Type) -> T.Accumulator
  /// What one element contributes (itself, or its square for ReduceL2).
  static func term<T: KernelNumber>(_ x: T) -> T.Accumulator
  /// Two accumulators combined: the fold's step.
  static func merge<A: KernelNumber>(_ a: A, _ b: A) -> A
  /// The output from the accumulator over `count` elements.
  static func finish<T: KernelNumber>(_ sum: T.Accumulator, count: Int) -> T
}

/// The shape of a reduction after merging adjacent axes: `[outer, reduced, inner]` when the
/// reduced axes are one block once size-1 dims are ignored, otherwise explicit offsets.
enum ReductionLayout: Sendable {
  /// Output `(a, b)` folds input `(a·reduced + r)·inner + b` for `r` in `0..<reduced`.
  case block(outer: Int, reduced: Int, inner: Int)
  /// Output `o` folds input `base[o] + offsets[r]` for each `r`.
  case gather(base: [Int], offsets: [Int])

  /// Plans reducing `shape` over `axes` (normalised, distinct).
  init(shape: [Int], axes: Set<Int>) {
    // Merged runs of kept or reduced axes, size-1 axes dropped.
    var runs: [(size: Int, reduced: Bool)] = []
    for axis in shape.indices where shape[axis] != 1 {
      let reduced = axes.contains(axis)
      if let last = runs.last, last.reduced == reduced {
        runs[runs.count - 1].size *= shape[axis]
      } else {
        runs.append((shape[axis], reduced))
      }
    }
    let reducedRuns = runs.indices.filter { runs[$0].reduced }
    guard reducedRuns.count > 1 else {
      let split = reducedRuns.first ?? runs.count
      let product = { (range: Range<Int>) in runs[range].reduce(1) { $0 * $1.size } }
      self = .block(
        outer: product(0..<split), reduced: reducedRuns.isEmpty ? 1 : runs[split].size,
        inner: product(min(split + 1, runs.count)..<runs.count))
      return
    }
    // Row-major strides of the input, split into kept and reduced axes.
    var strides = [Int](repeating: 1, count: shape.count)
    for axis in shape.indices.dropLast().reversed() {
      strides[axis] = strides[axis + 1] * shape[axis + 1]
    }
    func offsets(_ selected: [Int]) -> [Int] {
      selected.reduce([0]) { partial, axis in
        partial.flatMap { base in (0..<shape[axis]).map { base + $0 * strides[axis] } }
      }
    }
    self = .gather(
      base: offsets(shape.indices.filter { !axes.contains($0) }),
      offsets: offsets(shape.indices.filter { axes.contains($0) }))
  }

  var reducedCount: Int {
    switch self {
    case .block(_, let reduced, _): reduced
    case .gather(_, let offsets): offsets.count
    }
  }
}

/// Inner-axis columns one task of a `.block` reduction accumulates at once.
private let columnBlock = 512

private struct ReductionBuilder<Op: ReductionCPUExecutable>: NumericKernelBuilder {
  let layout: ReductionLayout

  func build<T: KernelNumber>(_ type: T.Type) -> any CPUKernel {
    let layout = layout
    let count = layout.reducedCount
    return ClosureKernel { inputs, outputs, pool in
      let input = inputs[0]!
      let output = outputs[0]
      switch layout {
      case .block(let outer, let reduced, let inner) where inner == 1:
        pool.parallelFor(outer, minimumChunk: max(1, elementwiseChunk / max(reduced, 1))) { rows in
          let x = input.pointer(T.self)
          let y = output.pointer(T.self)
          for row in rows {
            let first = x + row * reduced
            let sum = interleavedFold(reduced, Op.identity(T.self), Op.merge) { Op.term(first[$0]) }
            y[row] = Op.finish(sum, count: count)
          }
        }
      case .block(let outer, let reduced, let inner):
        let blocks = (inner + columnBlock - 1) / columnBlock
        let work = max(1, elementwiseChunk / max(reduced * min(inner, columnBlock), 1))
        pool.parallelFor(outer * blocks, minimumChunk: work) { tasks in
          withUnsafeTemporaryAllocation(of: T.Accumulator.self, capacity: columnBlock) { sums in
            let x = input.pointer(T.self)
            let y = output.pointer(T.self)
            for task in tasks {
              let a = task / blocks
              let first = (task % blocks) * columnBlock
              let width = min(columnBlock, inner - first)
              for b in 0..<width { sums[b] = Op.identity(T.self) }
              for r in 0..<reduced {
                let row = x + (a * reduced + r) * inner + first
                for b in 0..<width { sums[b] = Op.merge(sums[b], Op.term(row[b])) }
              }
              let out = y + a * inner + first
              for b in 0..<width { out[b] = Op.finish(sums[b], count: count) }
            }
          }
        }
      case .gather(let base, let offsets):
        pool.parallelFor(base.count, minimumChunk: max(1, elementwiseChunk / max(count, 1))) {
          outputsRange in
          let x = input.pointer(T.self)
          let y = output.pointer(T.self)
          for o in outputsRange {
            var sum = Op.identity(T.self)
            for offset in offsets { sum = Op.merge(sum, Op.term(x[base[o] + offset])) }
            y[o] = Op.finish(sum, count: count)
          }
        }
      }
    }
  }
}

extension ReductionCPUExecutable {
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let shape = try context.shape(0)
    let dtype = try context.dtype(0)
    var axes: Set<Int> = []
    // An empty axes input needs no value: it means "no axes".
    if context.inputShapes.count > 1, let axesShape = context.inputShapes[1],
      axesShape.reduce(1, *) > 0
    {
      guard let values = context.constants[1]?.integers() else {
        throw RuntimeError.unsupportedKernel(
          node: context.nodeName, "\(Self.opType) needs constant axes to run on the CPU")
      }
      for value in values { axes.insert(try ShapeRules.axis(Int(value), rank: shape.count)) }
    }
    if axes.isEmpty {
      if noopWithEmptyAxes {
        return ClosureKernel { inputs, outputs, _ in
          outputs[0].data.copyMemory(from: inputs[0]!.data, byteCount: outputs[0].byteCount)
        }
      }
      axes = Set(shape.indices)
    }
    let builder = ReductionBuilder<Self>(layout: ReductionLayout(shape: shape, axes: axes))
    // Bools reduce as their 0/1 bytes (ReduceMax is "any", ReduceMin "all").
    guard Self.acceptedTypes.contains(dtype),
      let kernel = try dtype.numericKernel(builder, boolAsByte: true)
    else { throw context.unsupported(Self.opType, dtype) }
    return kernel
  }
}

extension ReduceSum: ReductionCPUExecutable {
  @inline(__always) static func merge<A: KernelNumber>(_ a: A, _ b: A) -> A { A.sum(a, b) }
  static func identity<T: KernelNumber>(_ type: T.Type) -> T.Accumulator { .zero }
  @inline(__always) static func term<T: KernelNumber>(_ x: T) -> T.Accumulator { x.accumulated }
  static func finish<T: KernelNumber>(_ sum: T.Accumulator, count: Int) -> T {
    T(accumulated: sum)
  }
}

/// Integer means truncate toward zero, as ONNX Runtime's integer division does.
extension ReduceMean: ReductionCPUExecutable {
  @inline(__always) static func merge<A: KernelNumber>(_ a: A, _ b: A) -> A { A.sum(a, b) }
  static func identity<T: KernelNumber>(_ type: T.Type) -> T.Accumulator { .zero }
  @inline(__always) static func term<T: KernelNumber>(_ x: T) -> T.Accumulator { x.accumulated }
  static func finish<T: KernelNumber>(_ sum: T.Accumulator, count: Int) -> T {
    T(accumulated: T.Accumulator.quotient(sum, T.Accumulator(int64: Int64(count))))
  }
}

extension ReduceMax: ReductionCPUExecutable {
  @inline(__always) static func merge<A: KernelNumber>(_ a: A, _ b: A) -> A { A.maximum(a, b) }
  static func identity<T: KernelNumber>(_ type: T.Type) -> T.Accumulator { T.lowest.accumulated }
  @inline(__always) static func term<T: KernelNumber>(_ x: T) -> T.Accumulator { x.accumulated }
  static func finish<T: KernelNumber>(_ sum: T.Accumulator, count: Int) -> T {
    T(accumulated: sum)
  }
}

extension ReduceMin: ReductionCPUExecutable {
  @inline(__always) static func merge<A: KernelNumber>(_ a: A, _ b: A) -> A { A.minimum(a, b) }
  static func identity<T: KernelNumber>(_ type: T.Type) -> T.Accumulator { T.highest.accumulated }
  @inline(__always) static func term<T: KernelNumber>(_ x: T) -> T.Accumulator { x.accumulated }
  static func finish<T: KernelNumber>(_ sum: T.Accumulator, count: Int) -> T {
    T(accumulated: sum)
  }
}

/// The square root is taken in double and converted back (C casts for integers).
extension ReduceL2: ReductionCPUExecutable {
  @inline(__always) static func merge<A: KernelNumber>(_ a: A, _ b: A) -> A { A.sum(a, b) }
  static func identity<T: KernelNumber>(_ type: T.Type) -> T.Accumulator { .zero }
  @inline(__always) static func term<T: KernelNumber>(_ x: T) -> T.Accumulator {
    T.Accumulator.product(x.accumulated, x.accumulated)
  }
  static func finish<T: KernelNumber>(_ sum: T.Accumulator, count: Int) -> T {
    T(double: sum.doubleValue.squareRoot())
  }
}
