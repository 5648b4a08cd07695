import GraftIR

extension Conv: CPUExecutable {
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    try Float32Bridge.kernel(context, op: "Conv") { try ConvKernel(self, $0) }
  }
}

/// Conv compiled for fixed shapes (float32, NCHW and its 1-D/3-D kin), with an optional fused
/// residual addition and activation: `Y = activation(conv(X, W) + B + R)`.
///
/// General case: per batch item and group, `Y_g [M/group, O] = W_g [M/group, C/group·Πk] ×
/// cols [C/group·Πk, O]` with `cols` the im2col matrix. Pointwise convolutions (1×1, unstrided,
/// unpadded) multiply X itself, with no im2col. Either way the output positions are cut into
/// blocks, each written once by `PackedMatrix.multiply` from the group's weights (packed at plan
/// time when they are constant) with bias, residual and activation applied per tile; blocks run
/// in parallel. The block size depends only on the shapes, so every output element comes from
/// the same arithmetic whatever the thread count. Groups reading one input channel each
/// (depthwise) use `DepthwiseConvolution` instead.
struct ConvKernel: CPUKernel {
  let geometry: WindowGeometry
  let batch: Int
  let groups: Int
  /// Input and output channels per group.
  let groupInputs: Int
  let groupOutputs: Int
  let hasBias: Bool
  /// True when input 3 is a residual `R` shaped like Y.
  let hasResidual: Bool
  let activation: FusedActivation?
  let columnBlock: Int
  /// True when X is its own im2col matrix (1×1 kernel, unit strides, no padding).
  let pointwise: Bool
  let depthwise: DepthwiseConvolution?
  /// Each group's weights packed for the product, when W is a constant; otherwise they are packed
  /// at the start of every run.
  let packedWeights: [PackedMatrix]?

  init(
    _ op: Conv, _ context: KernelContext, residual: Bool = false,
    activation: FusedActivation? = nil
  ) throws {
    let x = try context.shape(0)
    let w = try context.shape(1)
    let pads: [Int]
    (geometry, pads) = try op.windowGeometry(context)
    batch = x[0]
    groups = op.group
    groupInputs = x[1] / op.group
    groupOutputs = w[0] / op.group
    hasBias = context.inputShapes.count > 2 && context.inputShapes[2] != nil
    hasResidual = residual
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
      block = max(64, (1 << 16) / max(groupOutputs, 1) / 16 * 16)
    } else {
      let rows = groupInputs * geometry.kernelSize
      block = min(max(64, ((positions + 7) / 8 + 15) / 16 * 16), max(16, (1 << 20) / max(rows, 1)))
    }
    columnBlock = max(1, min(block, positions))
    if depthwise == nil, let weights = context.constants[1] {
      packedWeights = Self.packGroups(
        weights.elements(as: Float.self), groups: groups, groupOutputs: groupOutputs,
        depth: groupInputs * geometry.kernelSize)
    } else {
      packedWeights = nil
    }
  }

  /// `W` (`groups·groupOutputs` rows of `depth` values) packed group by group.
  private static func packGroups(
    _ weights: UnsafePointer<Float>, groups: Int, groupOutputs: Int, depth: Int
  ) -> [PackedMatrix] {
    (0..<groups).map { group in
      PackedMatrix(
        packing: weights + group * groupOutputs * depth, leadingDimension: depth,
        rows: groupOutputs, depth: depth)
    }
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
    let weights =
      packedWeights
      ?? Self.packGroups(wTensor.floats, groups: groups, groupOutputs: groupOutputs, depth: rows)
    let residualTensor = hasResidual ? inputs[3] : nil
    pool.parallelFor(batch * groups * blocks) { items in
      let (x, y, bias) = (xTensor.floats, yTensor.floats, biasTensor?.floats)
      let cols = UnsafeMutablePointer<Float>.allocate(
        capacity: pointwise ? 0 : max(rows * columnBlock, 1))
      defer { cols.deallocate() }
      let workspace = GEMMWorkspace(count: weights[0].workspaceCount(columns: columnBlock))
      for item in items {
        let block = item % blocks
        let group = item / blocks % groups
        let n = item / blocks / groups
        let columns = (block * columnBlock)..<min(positions, (block + 1) * columnBlock)
        let input = x + (n * groups + group) * groupInputs * geometry.inputSize
        let outputOffset = (n * groups + group) * groupOutputs * positions + columns.lowerBound
        if !pointwise {
          geometry.im2col(input, channels: groupInputs, columns: columns, into: cols)
        }
        weights[group].multiply(
          pointwise ? input + columns.lowerBound : cols, ldb: pointwise ? positions : columns.count,
          columns: columns.count, into: y + outputOffset, ldc: positions,
          bias: bias.map { $0 + group * groupOutputs },
          residual: residualTensor.map { $0.floats + outputOffset }, activation: activation,
          workspace: workspace.floats)
      }
    }
  }
}
