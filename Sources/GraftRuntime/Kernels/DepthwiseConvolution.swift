/// A convolution whose groups read one input channel each (depthwise), computed directly:
/// `Y[n, m, o] = B[m] + Σ_κ W[m, 0, κ] · X[n, m / multiplier, i(o, κ)]`.
///
/// Work goes one output row at a time (the last spatial axis): the row is accumulated kernel
/// cell by kernel cell while it stays in L1, then bias and activation are applied to it. Every
/// inner loop is a contiguous multiply-add: when the last axis has stride `s > 1`, the input
/// plane is first split into `s` phase planes, phase `p` holding columns `p, p + s, p + 2s, …`,
/// so that input column `o·s + κ·d − pad = (o + q)·s + p` is element `o + q` of phase `p`.
struct DepthwiseConvolution: Sendable {
  let geometry: WindowGeometry
  /// Output channels `M` and output channels per input channel.
  let channels: Int
  let channelMultiplier: Int
  /// Stride of the last spatial axis.
  let stride: Int
  /// For each last-axis kernel cell: its phase plane `p` and the shift `q` within it.
  let phase: [Int]
  let shift: [Int]
  /// Rows of the input plane (product of the outer input axes) and phase row length.
  let inputRows: Int
  let phaseRow: Int

  init(geometry: WindowGeometry, channels: Int, channelMultiplier: Int) {
    self.geometry = geometry
    self.channels = channels
    self.channelMultiplier = channelMultiplier
    let last = geometry.input.count - 1
    stride = geometry.strides[last]
    var phase: [Int] = []
    var shift: [Int] = []
    for kl in 0..<geometry.kernelRow {
      let offset = kl * geometry.dilations[last] - geometry.padBegin[last]
      let p = (offset % stride + stride) % stride
      phase.append(p)
      shift.append((offset - p) / stride)
    }
    self.phase = phase
    self.shift = shift
    inputRows = geometry.inputSize / max(geometry.inputRow, 1)
    phaseRow = (geometry.inputRow + stride - 1) / stride
  }

  /// Computes the output planes `items` (flat `n·M + m`) of `y`.
  func run(
    _ items: Range<Int>, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?, activation: FusedActivation?, y: UnsafeMutablePointer<Float>
  ) {
    let g = geometry
    let phasePlane = inputRows * phaseRow
    let phases =
      stride > 1 ? UnsafeMutablePointer<Float>.allocate(capacity: stride * phasePlane) : nil
    defer { phases?.deallocate() }
    for item in items {
      let m = item % channels
      let plane = x + item / channelMultiplier * g.inputSize
      let source: UnsafePointer<Float>
      if let phases {
        splitPhases(plane, into: phases)
        source = UnsafePointer(phases)
      } else {
        source = plane
      }
      let rowLength = phases == nil ? g.inputRow : phaseRow
      let filter = w + m * g.kernelSize
      let output = y + item * g.outputSize
      for oo in 0..<g.outerPositions {
        let target = output + oo * g.outputRow
        target.update(repeating: 0, count: g.outputRow)
        for cell in 0..<g.kernelSize {
          let (outer, kl) = g.split(cell)
          let row = Int(g.outerRows[outer * g.outerPositions + oo])
          guard row >= 0 else { continue }
          let input = source + phase[kl] * phasePlane + row * rowLength + shift[kl]
          let weight = filter[cell]
          for o in g.lo[kl]..<g.hi[kl] { target[o] += weight * input[o] }
        }
        activation.apply(target, count: g.outputRow, bias: bias?[m] ?? 0)
      }
    }
  }

  /// Writes phase `p`'s row `r` as `phases[p·rows·phaseRow + r·phaseRow + j] = plane[r, j·s + p]`.
  private func splitPhases(_ plane: UnsafePointer<Float>, into phases: UnsafeMutablePointer<Float>)
  {
    let width = geometry.inputRow
    for r in 0..<inputRows {
      let row = plane + r * width
      for p in 0..<stride {
        let target = phases + (p * inputRows + r) * phaseRow
        var j = 0
        var column = p
        while column < width {
          target[j] = row[column]
          j += 1
          column += stride
        }
      }
    }
  }
}
