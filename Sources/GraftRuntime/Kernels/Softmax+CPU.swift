import GraftIR

/// Softmax and LogSoftmax over the axes of `normalizedAxes(rank:)`, both the per-axis meaning and
/// `coerceTo2D`: the input is viewed as `[outer, n, inner]` with `n` the product of the normalised
/// axes, and each of the `outer · inner` vectors of `n` elements (stride `inner`) is normalised
/// on its own, subtracting its maximum first so that `exp` cannot overflow. The output holds the
/// exponentials before it is scaled (Softmax) or overwritten by `x − max − log Σ` (LogSoftmax).
protocol SoftmaxCPUExecutable: SoftmaxFamilyOperator, CPUExecutable {
  /// Whether the output is `log(softmax(x))` (LogSoftmax).
  static var logarithmic: Bool { get }
}

extension Softmax: SoftmaxCPUExecutable {
  static var logarithmic: Bool { false }
}

extension LogSoftmax: SoftmaxCPUExecutable {
  static var logarithmic: Bool { true }
}

/// Vectors of a strided (`inner > 1`) softmax one task normalises side by side.
private let softmaxColumns = 256

private struct SoftmaxBuilder<Op: SoftmaxCPUExecutable>: FloatingKernelBuilder {
  let outer: Int
  let length: Int
  let inner: Int

  func build<T: KernelFloat>(_ type: T.Type) -> any CPUKernel {
    let (outer, length, inner) = (outer, length, inner)
    let blocks = (inner + softmaxColumns - 1) / softmaxColumns
    let work = max(1, elementwiseChunk / max(length * min(inner, softmaxColumns), 1))
    return ClosureKernel { inputs, outputs, pool in
      let input = inputs[0]!
      let output = outputs[0]
      if inner == 1 {
        pool.parallelFor(outer, minimumChunk: work) { rows in
          for row in rows {
            let x = input.pointer(T.self) + row * length
            let y = output.pointer(T.self) + row * length
            let maximum = interleavedFold(length, -T.infinity, T.maximum) { x[$0] }
            // Exponentials in their own loop, so that it vectorises.
            for k in 0..<length { y[k] = T.exp(x[k] - maximum) }
            let sum = interleavedFold(length, 0, +) { y[$0] }
            if Op.logarithmic {
              let shift = maximum + T.log(sum)
              for k in 0..<length { y[k] = x[k] - shift }
            } else {
              let scale = 1 / sum
              for k in 0..<length { y[k] *= scale }
            }
          }
        }
        return
      }
      pool.parallelFor(outer * blocks, minimumChunk: work) { tasks in
        withUnsafeTemporaryAllocation(of: T.self, capacity: 2 * softmaxColumns) { scratch in
          let maxima = scratch.baseAddress!
          let sums = maxima + softmaxColumns
          for task in tasks {
            let first = (task % blocks) * softmaxColumns
            let width = Swift.min(softmaxColumns, inner - first)
            let offset = (task / blocks) * length * inner + first
            let x = input.pointer(T.self) + offset
            let y = output.pointer(T.self) + offset
            maxima.update(repeating: -T.infinity, count: width)
            sums.update(repeating: 0, count: width)
            for r in 0..<length {
              for b in 0..<width { maxima[b] = Swift.max(maxima[b], x[r * inner + b]) }
            }
            for r in 0..<length {
              let (xr, yr) = (x + r * inner, y + r * inner)
              for b in 0..<width { yr[b] = T.exp(xr[b] - maxima[b]) }
              for b in 0..<width { sums[b] += yr[b] }
            }
            if Op.logarithmic {
              for b in 0..<width { maxima[b] += T.log(sums[b]) }
              for r in 0..<length {
                for b in 0..<width { y[r * inner + b] = x[r * inner + b] - maxima[b] }
              }
            } else {
              for b in 0..<width { sums[b] = 1 / sums[b] }
              for r in 0..<length {
                for b in 0..<width { y[r * inner + b] *= sums[b] }
              }
            }
          }
        }
      }
    }
  }
}

extension SoftmaxCPUExecutable {
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let shape = try context.shape(0)
    let dtype = try context.dtype(0)
    let axes = try normalizedAxes(rank: shape.count)
    let builder = SoftmaxBuilder<Self>(
      outer: shape[..<axes.lowerBound].reduce(1, *), length: shape[axes].reduce(1, *),
      inner: shape[axes.upperBound...].reduce(1, *))
    guard let kernel = try dtype.floatingKernel(builder) else {
      throw context.unsupported(Self.opType, dtype)
    }
    return kernel
  }
}
