import GraftIR

extension AveragePool: CPUExecutable {
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let (geometry, pads) = try windowGeometry(context)
    let x = try context.shape(0)
    let kernel = AveragePoolKernel(
      geometry: geometry, planes: x[0] * x[1],
      divisors: divisors(geometry, padEnd: Array(pads[geometry.input.count...])))
    if context.inputTypes[0] == .float64 { return kernel.typed(Double.self) }
    return try Float32Bridge.kernel(context, op: "AveragePool", bridged: [.float16]) { _ in
      kernel.typed(Float.self)
    }
  }

  /// The divisor of every output cell: the number of window cells inside the input, or inside
  /// the padded input with `countIncludePad` (cells only `ceilMode` reaches never count). The
  /// window is a product of per-axis ranges, so the count is a product of per-axis counts.
  private func divisors(_ geometry: WindowGeometry, padEnd: [Int]) -> [Int] {
    let perAxis = geometry.input.indices.map { axis in
      let lower = countIncludePad ? -geometry.padBegin[axis] : 0
      let upper = geometry.input[axis] + (countIncludePad ? padEnd[axis] : 0)
      return (0..<geometry.output[axis]).map { o in
        (0..<geometry.kernel[axis]).count(where: { cell in
          let i =
            o * geometry.strides[axis] + cell * geometry.dilations[axis] - geometry.padBegin[axis]
          return i >= lower && i < upper
        })
      }
    }
    return MultiIndex(geometry.output).map { position in
      position.indices.reduce(1) { $0 * perAxis[$1][position[$1]] }
    }
  }
}

/// AveragePool compiled for fixed shapes: each window's sum over the cells inside the input,
/// divided by the precomputed per-cell divisor.
struct AveragePoolKernel: Sendable {
  let geometry: WindowGeometry
  /// Batch items × channels.
  let planes: Int
  let divisors: [Int]

  func typed<T: BinaryFloatingPoint & TensorElement>(_: T.Type) -> any CPUKernel {
    ClosureKernel { inputs, outputs, pool in
      let x = inputs[0]!
      let y = outputs[0]
      pool.parallelFor(planes) { planes in
        for plane in planes {
          run(
            x.data.assumingMemoryBound(to: T.self) + plane * geometry.inputSize,
            y.data.assumingMemoryBound(to: T.self) + plane * geometry.outputSize)
        }
      }
    }
  }

  /// Sums row by row of output (window cells in row-major order) so the inner loop runs along
  /// the output row, then divides.
  private func run<T: BinaryFloatingPoint>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>) {
    let (outerRows, lo, hi) = (geometry.outerRows, geometry.lo, geometry.hi)
    let (inputRow, outputRow, kernelRow) = (
      geometry.inputRow, geometry.outputRow, geometry.kernelRow
    )
    let outerCells = geometry.kernelSize / kernelRow
    let stride = geometry.strides[geometry.strides.count - 1]
    y.update(repeating: 0, count: geometry.outputSize)
    for oo in 0..<geometry.outerPositions {
      let target = y + oo * outputRow
      for outer in 0..<outerCells {
        let row = Int(outerRows[outer * geometry.outerPositions + oo])
        guard row >= 0 else { continue }
        for kl in 0..<kernelRow {
          let source = x + row * inputRow + geometry.inputColumn(0, kl)
          for ow in lo[kl]..<hi[kl] { target[ow] += source[ow * stride] }
        }
      }
    }
    for position in 0..<geometry.outputSize { y[position] /= T(divisors[position]) }
  }
}
