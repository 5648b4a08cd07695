import GraftIR

extension Einsum: CPUExecutable {
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let equation = try Equation(parsing: self.equation)
    let shapes = try context.inputShapes.indices.map { try context.shape($0) }
    let loops = EinsumLoops(equation, shapes: shapes)
    switch context.outputTypes[0] {
    case .float64: return loops.kernel(Double.self)
    case .int64: return loops.kernel(Int64.self)
    case .int32: return loops.kernel(Int32.self)
    default:
      return try Float32Bridge.kernel(context, op: "Einsum", bridged: [.float16]) { _ in
        EinsumProduct(equation, shapes: shapes) ?? loops.kernel(Float.self)
      }
    }
  }
}

/// A strided copy: `target[t] = source[Σ t_a·strides[a]]` for every multi-index `t` of `shape`,
/// target dense row-major. Used to bring einsum operands into matrix order and back.
private func permute<T>(
  _ source: UnsafePointer<T>, strides: [Int], shape: [Int], into target: UnsafeMutablePointer<T>
) {
  for (flat, index) in MultiIndex(shape).enumerated() {
    target[flat] = source[zip(index, strides).reduce(0) { $0 + $1.0 * $1.1 }]
  }
}

/// Row-major strides of `shape`.
private func denseStrides(_ shape: [Int]) -> [Int] {
  var strides = Array(repeating: 1, count: shape.count)
  for axis in stride(from: shape.count - 2, through: 0, by: -1) {
    strides[axis] = strides[axis + 1] * shape[axis + 1]
  }
  return strides
}

/// An einsum evaluated by visiting every combination of label values.
///
/// Labels are ordered output labels first, then summed labels. Each operand gets a stride per
/// label (the sum of its axes' strides for a label repeated in it, which reads its diagonal; 0
/// when the label is absent). Each output element sums, over the summed labels in row-major
/// order, the product of the operands' elements; elements are independent work items.
struct EinsumLoops: Sendable {
  let outputSizes: [Int]
  let summedSizes: [Int]
  /// Per operand, the strides of the output labels and of the summed labels.
  let outputStrides: [[Int]]
  let summedStrides: [[Int]]

  init(_ equation: Einsum.Equation, shapes: [[Int]]) {
    var sizes: [Character: Int] = [:]
    for (labels, shape) in zip(equation.inputs, shapes) {
      for (label, size) in zip(labels, shape) { sizes[label] = size }
    }
    let summed = Set(equation.inputs.joined()).subtracting(equation.output).sorted()
    func strides(_ labels: [Character], _ shape: [Int], over order: [Character]) -> [Int] {
      let dense = denseStrides(shape)
      return order.map { label in
        labels.indices.filter { labels[$0] == label }.reduce(0) { $0 + dense[$1] }
      }
    }
    outputSizes = equation.output.map { sizes[$0]! }
    summedSizes = summed.map { sizes[$0]! }
    outputStrides = zip(equation.inputs, shapes).map { strides($0, $1, over: equation.output) }
    summedStrides = zip(equation.inputs, shapes).map { strides($0, $1, over: summed) }
  }

  func kernel<T: Numeric & TensorElement>(_: T.Type) -> any CPUKernel {
    let count = outputSizes.reduce(1, *)
    let combinations = summedSizes.reduce(1, *)
    let operands = outputStrides.count
    return ClosureKernel { inputs, outputs, pool in
      let y = outputs[0]
      pool.parallelFor(count, minimumChunk: max(1, 4096 / max(combinations, 1))) { elements in
        let sources = (0..<operands).map { inputs[$0]!.data.assumingMemoryBound(to: T.self) }
        let target = y.data.assumingMemoryBound(to: T.self)
        var offsets = [Int](repeating: 0, count: operands)
        var index = [Int](repeating: 0, count: summedSizes.count)
        for element in elements {
          var remainder = element
          var bases = [Int](repeating: 0, count: operands)
          for axis in stride(from: outputSizes.count - 1, through: 0, by: -1) {
            let value = remainder % outputSizes[axis]
            remainder /= outputSizes[axis]
            for operand in 0..<operands { bases[operand] += value * outputStrides[operand][axis] }
          }
          var sum: T = 0
          for axis in index.indices { index[axis] = 0 }
          offsets = bases
          for _ in 0..<combinations {
            var product: T = 1
            for operand in 0..<operands { product *= sources[operand][offsets[operand]] }
            sum += product
            // Advance the summed labels' odometer and the operands' offsets with it.
            var axis = index.count - 1
            while axis >= 0 {
              index[axis] += 1
              for operand in 0..<operands { offsets[operand] += summedStrides[operand][axis] }
              if index[axis] < summedSizes[axis] { break }
              for operand in 0..<operands {
                offsets[operand] -= summedStrides[operand][axis] * summedSizes[axis]
              }
              index[axis] = 0
              axis -= 1
            }
          }
          target[element] = sum
        }
      }
    }
  }
}

/// A two-operand float32 einsum that is a batched matrix product, run through BLAS.
///
/// Labels in both operands and the output are batch labels, in A and the output only M labels,
/// in B and the output only N labels, in both operands only K labels. A is copied to
/// `[batch, M, K]` and B to `[batch, K, N]` (unless already in that order), multiplied per batch
/// element, and the `[batch, M, N]` product copied to the output's label order.
struct EinsumProduct: CPUKernel {
  let products: MatrixProducts
  /// Strides of A and B over the `[batch…, M…, K…]` and `[batch…, K…, N…]` orders, nil when
  /// the operand is already in that order.
  let aStrides: [Int]?
  let bStrides: [Int]?
  let aShape: [Int]
  let bShape: [Int]
  /// Strides of the `[batch, M, N]` product over the output's labels, nil when they match.
  let outputStrides: [Int]?
  let outputShape: [Int]

  /// Nil when the equation is not a plain batched matrix product (more or fewer than two
  /// operands, a repeated label, or a label summed within a single operand).
  init?(_ equation: Einsum.Equation, shapes: [[Int]]) {
    guard equation.inputs.count == 2 else { return nil }
    let (a, b, out) = (equation.inputs[0], equation.inputs[1], equation.output)
    guard Set(a).count == a.count, Set(b).count == b.count else { return nil }
    guard Set(a).union(b).allSatisfy({ out.contains($0) || (a.contains($0) && b.contains($0)) })
    else { return nil }
    var sizes: [Character: Int] = [:]
    for (labels, shape) in zip([a, b], shapes) {
      for (label, size) in zip(labels, shape) { sizes[label] = size }
    }
    let batch = out.filter { a.contains($0) && b.contains($0) }
    let m = out.filter { a.contains($0) && !b.contains($0) }
    let n = out.filter { b.contains($0) && !a.contains($0) }
    let k = a.filter { b.contains($0) && !out.contains($0) }
    func product(_ labels: [Character]) -> Int { labels.reduce(1) { $0 * sizes[$1]! } }
    func strides(_ labels: [Character], of operand: [Character], _ shape: [Int]) -> [Int]? {
      guard labels != operand else { return nil }
      let dense = denseStrides(shape)
      return labels.map { dense[operand.firstIndex(of: $0)!] }
    }
    let (batchSize, mSize, nSize, kSize) = (product(batch), product(m), product(n), product(k))
    products = MatrixProducts(
      m: mSize, n: nSize, k: kSize, aOffsets: (0..<batchSize).map { $0 * mSize * kSize },
      bOffsets: (0..<batchSize).map { $0 * kSize * nSize })
    aShape = (batch + m + k).map { sizes[$0]! }
    bShape = (batch + k + n).map { sizes[$0]! }
    aStrides = strides(batch + m + k, of: a, shapes[0])
    bStrides = strides(batch + k + n, of: b, shapes[1])
    let productLabels = batch + m + n
    outputShape = out.map { sizes[$0]! }
    outputStrides = strides(out, of: productLabels, productLabels.map { sizes[$0]! })
  }

  func run(inputs: [RuntimeTensor?], outputs: [RuntimeTensor], pool: ThreadPool) throws {
    var scratch: [UnsafeMutablePointer<Float>] = []
    defer { for buffer in scratch { buffer.deallocate() } }
    func arranged(_ tensor: RuntimeTensor, _ strides: [Int]?, _ shape: [Int]) -> RuntimeTensor {
      guard let strides else { return tensor }
      let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(tensor.count, 1))
      scratch.append(buffer)
      permute(tensor.floats, strides: strides, shape: shape, into: buffer)
      return RuntimeTensor(dtype: .float32, shape: shape, data: UnsafeMutableRawPointer(buffer))
    }
    let a = arranged(inputs[0]!, aStrides, aShape)
    let b = arranged(inputs[1]!, bStrides, bShape)
    guard let outputStrides else {
      products.sgemm(a: a, b: b, c: outputs[0], pool: pool)
      return
    }
    let product = UnsafeMutablePointer<Float>.allocate(capacity: max(outputs[0].count, 1))
    defer { product.deallocate() }
    products.sgemm(
      a: a, b: b,
      c: RuntimeTensor(dtype: .float32, shape: outputShape, data: UnsafeMutableRawPointer(product)),
      pool: pool)
    permute(product, strides: outputStrides, shape: outputShape, into: outputs[0].floats)
  }
}
