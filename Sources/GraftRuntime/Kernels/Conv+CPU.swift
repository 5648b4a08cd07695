import GraftIR

extension Conv: CPUExecutable {
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    try Float32Bridge.kernel(context, op: "Conv") { try ConvKernel(self, $0) }
  }
}

/// Conv compiled for fixed shapes (float32, NCHW and its 1-D/3-D kin).
///
/// General case: per batch item and group, `Y_g [M/group, O] = W_g [M/group, C/group·Πk] ×
/// cols [C/group·Πk, O]` with `cols` the im2col matrix, built and multiplied one block of output
/// positions at a time so the scratch stays small and blocks run in parallel. The block size
/// depends only on the shapes, so every output element comes from the same sgemm call whatever
/// the thread count. Groups reading one input channel each (depthwise) use a direct loop instead,
/// and pointwise (1×1, unstrided, unpadded) convolutions multiply X itself, with no im2col.
struct ConvKernel: CPUKernel {
  let geometry: WindowGeometry
  let batch: Int
  let groups: Int
  /// Input and output channels per group.
  let groupInputs: Int
  let groupOutputs: Int
  let hasBias: Bool
  let columnBlock: Int
  let depthwise: Bool
  /// `Y_(n,g) = W_g · X_(n,g)` as a batch of products, for pointwise convolutions.
  let pointwise: MatrixProducts?

  init(_ op: Conv, _ context: KernelContext) throws {
    let x = try context.shape(0)
    let w = try context.shape(1)
    let y = context.outputShapes[0]
    let inference = context.inferenceContext
    guard
      let window = try op.window(spatialRank: x.count - 2, weight: w.map(Dim.fixed)),
      let pads = try op.explicitPads(inference)
    else { throw RuntimeError.kernel(node: context.nodeName, "Conv kernel size is unknown") }
    geometry = WindowGeometry(
      input: Array(x[2...]), output: Array(y[2...]), kernel: window.kernelShape,
      strides: window.strides, dilations: window.dilations, padBegin: Array(pads[..<window.rank]))
    batch = x[0]
    groups = op.group
    groupInputs = x[1] / op.group
    groupOutputs = w[0] / op.group
    hasBias = context.inputShapes.count > 2 && context.inputShapes[2] != nil
    depthwise = groupInputs == 1 && groups > 1
    let rows = groupInputs * geometry.kernelSize
    let positions = geometry.outputSize
    var block = max(64, ((positions + 7) / 8 + 15) / 16 * 16)
    block = min(block, max(16, (1 << 20) / max(rows, 1)))
    columnBlock = max(1, min(block, positions))
    let unpadded = pads.allSatisfy { $0 == 0 } && window.strides.allSatisfy { $0 == 1 }
    if geometry.kernelSize == 1 && unpadded && !depthwise {
      let (items, inputs, outputs) = (0..<(x[0] * op.group), x[1] / op.group, w[0] / op.group)
      pointwise = MatrixProducts(
        m: outputs, n: positions, k: inputs,
        aOffsets: items.map { $0 % op.group * outputs * inputs },
        bOffsets: items.map { $0 * inputs * positions })
    } else {
      pointwise = nil
    }
  }

  func run(inputs: [RuntimeTensor?], outputs: [RuntimeTensor], pool: ThreadPool) throws {
    let x = inputs[0]!
    let w = inputs[1]!
    let bias = hasBias ? inputs[2] : nil
    let y = outputs[0]
    if depthwise {
      pool.parallelFor(batch * groups * groupOutputs) { items in
        for item in items { runDepthwise(item, x: x, w: w, bias: bias, y: y) }
      }
      return
    }
    if let pointwise {
      pointwise.sgemm(a: w, b: x, c: y, pool: pool)
      guard let bias else { return }
      let channels = groups * groupOutputs
      pool.parallelFor(batch * channels) { planes in
        for plane in planes {
          let shift = bias.floats[plane % channels]
          let target = y.floats + plane * geometry.outputSize
          for o in 0..<geometry.outputSize { target[o] += shift }
        }
      }
      return
    }
    let blocks = (geometry.outputSize + columnBlock - 1) / columnBlock
    pool.parallelFor(batch * groups * blocks) { items in
      let rows = groupInputs * geometry.kernelSize
      let cols = UnsafeMutablePointer<Float>.allocate(capacity: max(rows * columnBlock, 1))
      let product = UnsafeMutablePointer<Float>.allocate(capacity: groupOutputs * columnBlock)
      defer {
        cols.deallocate()
        product.deallocate()
      }
      for item in items {
        let block = item % blocks
        let group = item / blocks % groups
        let n = item / blocks / groups
        let columns = (block * columnBlock)..<min(geometry.outputSize, (block + 1) * columnBlock)
        let input = x.floats + (n * groups + group) * groupInputs * geometry.inputSize
        geometry.im2col(input, channels: groupInputs, columns: columns, into: cols)
        BLAS.sgemm(
          m: groupOutputs, n: columns.count, k: rows, a: w.floats + group * groupOutputs * rows,
          b: cols, c: product)
        let firstChannel = (n * groups + group) * groupOutputs
        for m in 0..<groupOutputs {
          let target = y.floats + (firstChannel + m) * geometry.outputSize + columns.lowerBound
          let source = product + m * columns.count
          let shift = bias.map { $0.floats[group * groupOutputs + m] } ?? 0
          for o in 0..<columns.count { target[o] = source[o] + shift }
        }
      }
    }
  }

  /// One output channel of a convolution whose groups read one input channel each:
  /// `Y[n, m, o] = B[m] + Σ_κ W[m, 0, κ] · X[n, m / (M/group), i(o, κ)]`, accumulated per
  /// kernel cell over whole rows so the inner loop is a vectorisable multiply-add.
  private func runDepthwise(
    _ item: Int, x: RuntimeTensor, w: RuntimeTensor, bias: RuntimeTensor?, y: RuntimeTensor
  ) {
    let channels = groups * groupOutputs
    let m = item % channels
    let n = item / channels
    let input = x.floats + (n * groups + m / groupOutputs) * geometry.inputSize
    let output = y.floats + item * geometry.outputSize
    output.update(repeating: bias.map { $0.floats[m] } ?? 0, count: geometry.outputSize)
    let weights = w.floats + m * geometry.kernelSize
    let stride = geometry.strides[geometry.strides.count - 1]
    for cell in 0..<geometry.kernelSize {
      let (outer, kl) = geometry.split(cell)
      let weight = weights[cell]
      let range = geometry.lo[kl]..<geometry.hi[kl]
      for oo in 0..<geometry.outerPositions {
        let row = Int(geometry.outerRows[outer * geometry.outerPositions + oo])
        guard row >= 0 else { continue }
        let source = input + row * geometry.inputRow + geometry.inputColumn(0, kl)
        let target = output + oo * geometry.outputRow
        if stride == 1 {
          for o in range { target[o] += weight * source[o] }
        } else {
          for o in range { target[o] += weight * source[o * stride] }
        }
      }
    }
  }
}
