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
            indices.map { $0.data.assumingMemoryBound(to: Int64.self) + plane * geometry.outputSize },
            base: plane * geometry.inputSize)
        }
      }
    }
  }

  private func run<T: MaxPoolElement>(
    _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ indices: UnsafeMutablePointer<Int64>?,
    base: Int
  ) {
    let outerCells = geometry.kernelSize / geometry.kernelRow
    for position in 0..<geometry.outputSize {
      let oo = position / geometry.outputRow
      let ow = position % geometry.outputRow
      var best = T.lowest
      var bestIndex = -1
      for outer in 0..<outerCells {
        let row = Int(geometry.outerRows[outer * geometry.outerPositions + oo])
        guard row >= 0 else { continue }
        for kl in 0..<geometry.kernelRow where ow >= geometry.lo[kl] && ow < geometry.hi[kl] {
          let index = row * geometry.inputRow + geometry.inputColumn(ow, kl)
          if bestIndex < 0 || x[index] > best {
            best = x[index]
            bestIndex = index
          }
        }
      }
      // A window entirely in the padding gives T's lowest value and index −1, as in ONNX Runtime.
      y[position] = best
      indices?[position] =
        bestIndex < 0 ? -1 : Int64(base + (columnMajor ? columnMajorIndex(bestIndex) : bestIndex))
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
  static var lowest: Self { get }
}

extension Float: MaxPoolElement { static var lowest: Float { -greatestFiniteMagnitude } }
extension Double: MaxPoolElement { static var lowest: Double { -greatestFiniteMagnitude } }
extension Float16: MaxPoolElement { static var lowest: Float16 { -greatestFiniteMagnitude } }
extension Int8: MaxPoolElement { static var lowest: Int8 { min } }
extension UInt8: MaxPoolElement { static var lowest: UInt8 { min } }
