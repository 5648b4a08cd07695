import GraftIR

extension Conv: CPUExecutable {
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    try Float32Bridge.kernel(context, op: "Conv") { try ConvKernel(self, $0) }
  }
}

/// Conv compiled for fixed shapes (float32, NCHW and its 1-D/3-D kin), with an optional fused
/// activation.
///
/// General case: per batch item and group, `Y_g [M/group, O] = W_g [M/group, C/group·Πk] ×
/// cols [C/group·Πk, O]` with `cols` the im2col matrix. Pointwise convolutions (1×1, unstrided,
/// unpadded) multiply X itself, with no im2col. Either way the output positions are cut into
/// blocks: one sgemm writes a block of Y in place, then bias and activation are applied to it
/// while it is still in cache, and blocks run in parallel. The block size depends only on the
/// shapes, so every output element comes from the same arithmetic whatever the thread count.
/// Groups reading one input channel each (depthwise) use `DepthwiseConvolution` instead.
struct ConvKernel: CPUKernel {
  let geometry: WindowGeometry
  let batch: Int
  let groups: Int
  /// Input and output channels per group.
  let groupInputs: Int
  let groupOutputs: Int
  let hasBias: Bool
  let activation: FusedActivation?
  let columnBlock: Int
  /// True when X is its own im2col matrix (1×1 kernel, unit strides, no padding).
  let pointwise: Bool
  let depthwise: DepthwiseConvolution?

  init(_ op: Conv, _ context: KernelContext, activation: FusedActivation? = nil) throws {
    let x = try context.shape(0)
    let w = try context.shape(1)
    let pads: [Int]
    (geometry, pads) = try op.windowGeometry(context)
    batch = x[0]
    groups = op.group
    groupInputs = x[1] / op.group
    groupOutputs = w[0] / op.group
    hasBias = context.inputShapes.count > 2 && context.inputShapes[2] != nil
    self.activation = activation
    pointwise =
      geometry.kernelSize == 1 && pads.allSatisfy { $0 == 0 }
      && geometry.strides.allSatisfy { $0 == 1 }
    depthwise =
      groupInputs == 1 && groups > 1
      ? DepthwiseConvolution(
        geometry: geometry, channels: w[0], channelMultiplier: groupOutputs) : nil
    let positions = geometry.outputSize
    let block: Int
    if pointwise {
      // Keep the block of Y (M/group rows) within about 256 KB for the epilogue.
      block = max(64, (1 << 16) / max(groupOutputs, 1) / 16 * 16)
    } else {
      let rows = groupInputs * geometry.kernelSize
      block = min(max(64, ((positions + 7) / 8 + 15) / 16 * 16), max(16, (1 << 20) / max(rows, 1)))
    }
    columnBlock = max(1, min(block, positions))
  }

  func run(inputs: [RuntimeTensor?], outputs: [RuntimeTensor], pool: ThreadPool) throws {
    let (xTensor, wTensor, yTensor) = (inputs[0]!, inputs[1]!, outputs[0])
    let biasTensor = hasBias ? inputs[2] : nil
    if let depthwise {
      pool.parallelFor(batch * groups * groupOutputs) { items in
        depthwise.run(
          items, x: xTensor.floats, w: wTensor.floats, bias: biasTensor?.floats,
          activation: activation, y: yTensor.floats)
      }
      return
    }
    let positions = geometry.outputSize
    let rows = groupInputs * geometry.kernelSize
    let blocks = (positions + columnBlock - 1) / columnBlock
    pool.parallelFor(batch * groups * blocks) { items in
      let (x, w, y, bias) = (xTensor.floats, wTensor.floats, yTensor.floats, biasTensor?.floats)
      let cols = UnsafeMutablePointer<Float>.allocate(
        capacity: pointwise ? 0 : max(rows * columnBlock, 1))
      defer { cols.deallocate() }
      for item in items {
        let block = item % blocks
        let group = item / blocks % groups
        let n = item / blocks / groups
        let columns = (block * columnBlock)..<min(positions, (block + 1) * columnBlock)
        let input = x + (n * groups + group) * groupInputs * geometry.inputSize
        let firstChannel = (n * groups + group) * groupOutputs
        let output = y + firstChannel * positions + columns.lowerBound
        if pointwise {
          BLAS.sgemm(
            m: groupOutputs, n: columns.count, k: rows, a: w + group * groupOutputs * rows,
            b: input + columns.lowerBound, ldb: positions, c: output, ldc: positions)
        } else {
          geometry.im2col(input, channels: groupInputs, columns: columns, into: cols)
          BLAS.sgemm(
            m: groupOutputs, n: columns.count, k: rows, a: w + group * groupOutputs * rows,
            b: cols, c: output, ldc: positions)
        }
        for m in 0..<groupOutputs {
          activation.apply(
            output + m * positions, count: columns.count,
            bias: bias?[group * groupOutputs + m] ?? 0)
        }
      }
    }
  }
}
