import GraftIR

extension ConvTranspose: CPUExecutable {
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    try Float32Bridge.kernel(context, op: "ConvTranspose") { try ConvTransposeKernel(self, $0) }
  }
}

/// ConvTranspose compiled for fixed shapes (float32, NCHW and its 1-D/3-D kin).
///
/// Per batch item and group, `cols [M/group·Πk, ΠD] = W_gᵀ × X_g [C/group, ΠD]` (one sgemm with
/// the weight pre-transposed to `[group][M/group·Πk, C/group]`), then each input cell's column is
/// scattered into `Y[n, m, i·stride + κ·dilation − padBegin]` (col2im). Work is split into fixed
/// blocks of output channels, each with its own scratch, so results do not depend on threads.
struct ConvTransposeKernel: CPUKernel {
  let geometry: WindowGeometry
  let batch: Int
  let groups: Int
  let groupInputs: Int
  let groupOutputs: Int
  let hasBias: Bool
  let channelBlock: Int
  /// The weight transposed per group, when it is a constant.
  let packed: [Float]?

  init(_ op: ConvTranspose, _ context: KernelContext) throws {
    let x = try context.shape(0)
    let w = try context.shape(1)
    geometry = try op.windowGeometry(context, transposed: true).geometry
    batch = x[0]
    groups = op.group
    groupInputs = x[1] / op.group
    groupOutputs = w[1]
    hasBias = context.inputShapes.count > 2 && context.inputShapes[2] != nil
    let channelColumns = geometry.kernelSize * geometry.outputSize
    channelBlock = max(1, min((groupOutputs + 7) / 8, (1 << 20) / max(channelColumns, 1)))
    packed = context.constants[1].map { weight in
      weight.elements(as: Float.self).withUnsafeBufferPointer {
        Self.pack(
          $0.baseAddress!, groups: op.group, inputs: x[1] / op.group, columns: w[1...].reduce(1, *))
      }
    }
  }

  /// `W [C, M/group·Πk]` as `[group][M/group·Πk, C/group]`.
  static func pack(
    _ w: UnsafePointer<Float>, groups: Int, inputs: Int, columns: Int
  ) -> [Float] {
    var packed = [Float](repeating: 0, count: groups * inputs * columns)
    for group in 0..<groups {
      for c in 0..<inputs {
        let source = w + (group * inputs + c) * columns
        for column in 0..<columns {
          packed[(group * columns + column) * inputs + c] = source[column]
        }
      }
    }
    return packed
  }

  func run(inputs: [RuntimeTensor?], outputs: [RuntimeTensor], pool: ThreadPool) throws {
    let x = inputs[0]!
    let bias = hasBias ? inputs[2] : nil
    let y = outputs[0]
    let columns = groupOutputs * geometry.kernelSize
    let weights =
      packed
      ?? Self.pack(inputs[1]!.floats, groups: groups, inputs: groupInputs, columns: columns)
    let blocks = (groupOutputs + channelBlock - 1) / channelBlock
    weights.withUnsafeBufferPointer { weights in
      let packedWeights = RuntimeTensor(
        dtype: .float32, shape: [weights.count],
        data: UnsafeMutableRawPointer(mutating: weights.baseAddress!))
      pool.parallelFor(batch * groups * blocks) { items in
        let channelColumns = geometry.kernelSize * geometry.outputSize
        let cols = UnsafeMutablePointer<Float>.allocate(capacity: channelBlock * channelColumns)
        defer { cols.deallocate() }
        for item in items {
          let block = item % blocks
          let group = item / blocks % groups
          let n = item / blocks / groups
          let channels = (block * channelBlock)..<min(groupOutputs, (block + 1) * channelBlock)
          let input = x.floats + (n * groups + group) * groupInputs * geometry.outputSize
          let rows = channels.lowerBound * geometry.kernelSize
          BLAS.sgemm(
            m: channels.count * geometry.kernelSize, n: geometry.outputSize, k: groupInputs,
            a: packedWeights.floats + (group * columns + rows) * groupInputs, b: input, c: cols)
          for m in channels {
            let channel = group * groupOutputs + m
            let output = y.floats + (n * groups * groupOutputs + channel) * geometry.inputSize
            output.update(
              repeating: bias.map { $0.floats[channel] } ?? 0, count: geometry.inputSize)
            geometry.col2im(cols + (m - channels.lowerBound) * channelColumns, into: output)
          }
        }
      }
    }
  }
}
