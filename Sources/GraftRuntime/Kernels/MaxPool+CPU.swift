import GraftIR

extension MaxPool: CPUExecutable {
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let (geometry, _) = try windowGeometry(context)
    let x = try context.shape(0)
    let kernel = MaxPoolKernel(
      geometry: geometry, planes: x[0] * x[1], withIndices: context.outputShapes.count > 1,
      columnMajor: storageOrder == 1)
    switch context.inputTypes[0] {
    case .float32: return kernel.typed(Float.self)
    case .float64: return kernel.typed(Double.self)
    case .float16: return kernel.typed(Float16.self)
    case .int8: return kernel.typed(Int8.self)
    case .uint8: return kernel.typed(UInt8.self)
    default:
      throw RuntimeError.unsupportedKernel(
        node: context.nodeName,
        "MaxPool runs on float32, float64, float16, int8 and uint8; X is "
          + (context.inputTypes[0]?.rawValue ?? "unknown"))
    }
  }
}

/// MaxPool compiled for fixed shapes: each window's maximum over the cells inside the input, and
/// optionally its flat index into X (`[N, C, D…]` row-major, or column-major over the spatial
/// axes). The first maximum in row-major window order wins ties, as in ONNX Runtime.
struct MaxPoolKernel: Sendable {
  let geometry: WindowGeometry
  /// Batch items × channels.
  let planes: Int
  let withIndices: Bool
  let columnMajor: Bool

  func typed<T: MaxPoolElement>(_: T.Type) -> any CPUKernel {
    ClosureKernel { inputs, outputs, pool in
      let x = inputs[0]!
      let y = outputs[0]
      let indices = withIndices ? outputs[1] : nil
      pool.parallelFor(planes) { planes in
        for plane in planes {
          run(
            x.data.assumingMemoryBound(to: T.self) + plane * geometry.inputSize,
            y.data.assumingMemoryBound(to: T.self) + plane * geometry.outputSize,
            indices.map {
              $0.data.assumingMemoryBound(to: Int64.self) + plane * geometry.outputSize
            },
            base: plane * geometry.inputSize)
        }
      }
    }
  }

  /// With indices, visits the window cells row by row of output (outer kernel cell, then
  /// last-axis cell: row-major window order, so the first maximum wins) so the inner loop runs
  /// along the output row.
  private func run<T: MaxPoolElement>(
    _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ indices: UnsafeMutablePointer<Int64>?,
    base: Int
  ) {
    let (outerRows, lo, hi) = (geometry.outerRows, geometry.lo, geometry.hi)
    let (inputRow, outputRow, kernelRow) = (
      geometry.inputRow, geometry.outputRow, geometry.kernelRow
    )
    let outerCells = geometry.kernelSize / kernelRow
    let last = geometry.input.count - 1
    let (stride, dilation) = (geometry.strides[last], geometry.dilations[last])
    let padBegin = geometry.padBegin[last]
    guard let indices else {
      // Without indices, a branch-free pass per window cell along each output row.
      for oo in 0..<geometry.outerPositions {
        let target = y + oo * outputRow
        target.update(repeating: T.emptyWindowValue, count: outputRow)
        for outer in 0..<outerCells {
          let row = Int(outerRows[outer * geometry.outerPositions + oo])
          guard row >= 0 else { continue }
          for kl in 0..<kernelRow {
            let source = x + row * inputRow + kl * dilation - padBegin
            for ow in lo[kl]..<hi[kl] {
              let (value, current) = (source[ow * stride], target[ow])
              target[ow] = value > current ? value : current
            }
          }
        }
      }
      return
    }
    let best = UnsafeMutablePointer<Int>.allocate(capacity: outputRow)
    defer { best.deallocate() }
    for oo in 0..<geometry.outerPositions {
      let target = y + oo * outputRow
      target.update(repeating: T.emptyWindowValue, count: outputRow)
      best.update(repeating: -1, count: outputRow)
      for outer in 0..<outerCells {
        let row = Int(outerRows[outer * geometry.outerPositions + oo])
        guard row >= 0 else { continue }
        for kl in 0..<kernelRow {
          let first = row * inputRow + geometry.inputColumn(0, kl)
          for ow in lo[kl]..<hi[kl] {
            let index = first + ow * stride
            if best[ow] < 0 || x[index] > target[ow] {
              target[ow] = x[index]
              best[ow] = index
            }
          }
        }
      }
      // A window entirely in the padding keeps T's lowest value and index −1, as in ONNX Runtime.
      for ow in 0..<outputRow {
        let index = best[ow]
        indices[oo * outputRow + ow] =
          index < 0 ? -1 : Int64(base + (columnMajor ? columnMajorIndex(index) : index))
      }
    }
  }

  /// The spatial flat index of row-major `index` when the spatial axes are laid out column-major.
  private func columnMajorIndex(_ index: Int) -> Int {
    var remainder = index
    var result = 0
    var stride = geometry.inputSize
    for size in geometry.input.reversed() {
      stride /= size
      result += (remainder % size) * stride
      remainder /= size
    }
    return result
  }
}

/// Element types MaxPool compares, with the value of a window that reads no input cell.
protocol MaxPoolElement: Comparable, TensorElement {
  static var emptyWindowValue: Self { get }
}

extension Float: MaxPoolElement { static var emptyWindowValue: Float { -greatestFiniteMagnitude } }
extension Double: MaxPoolElement {
  static var emptyWindowValue: Double { -greatestFiniteMagnitude }
}
extension Float16: MaxPoolElement {
  static var emptyWindowValue: Float16 { -greatestFiniteMagnitude }
}
extension Int8: MaxPoolElement { static var emptyWindowValue: Int8 { min } }
extension UInt8: MaxPoolElement { static var emptyWindowValue: UInt8 { min } }
