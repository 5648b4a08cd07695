internal import CGraftKernels

/// A convolution whose groups read one input channel each (depthwise), computed directly:
/// `Y[n, m, o] = B[m] + Σ_κ W[m, 0, κ] · X[n, m / multiplier, o·s + κ·d − padBegin]`.
///
/// Planes of rank 1 and 2 (every CNN's case) go to `graft_depthwise_plane`, which copies each
/// input plane once into a zero-padded scratch whose columns are split into stride phases, then
/// sums all kernel cells of each run of 8 outputs in a register, starting from the bias, and
/// stores it with the activation applied. Higher ranks use a `PhaseGrid`. Threads split the
/// planes, and each output's sum has the same order on any thread count.
struct DepthwiseConvolution: Sendable {
  let geometry: WindowGeometry
  /// Output channels `M` and output channels per input channel.
  let channels: Int
  let channelMultiplier: Int
  private let method: Method

  private enum Method: Sendable {
    case planar(PlanarDepthwise)
    case phaseGrid(PhaseGrid)
  }

  init(geometry: WindowGeometry, channels: Int, channelMultiplier: Int) {
    self.geometry = geometry
    self.channels = channels
    self.channelMultiplier = channelMultiplier
    method =
      geometry.input.count <= 2
      ? .planar(PlanarDepthwise(geometry)) : .phaseGrid(PhaseGrid(geometry))
  }

  /// Computes the output planes `items` (flat `n·M + m`) of `y`.
  func run(
    _ items: Range<Int>, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?, activation: FusedActivation?, y: UnsafeMutablePointer<Float>
  ) {
    let g = geometry
    guard g.outputSize > 0 else { return }
    let scratchCount: Int
    switch method {
    case .planar(let planar): scratchCount = planar.scratchCount
    case .phaseGrid(let grid): scratchCount = grid.scratchCount
    }
    // The padding is zeroed once: every plane writes the same interior cells.
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scratchCount)
    scratch.initialize(repeating: 0, count: scratchCount)
    defer { scratch.deallocate() }
    func plane(_ item: Int) -> UnsafePointer<Float> { x + item / channelMultiplier * g.inputSize }
    for item in items {
      let m = item % channels
      let filter = w + m * g.kernelSize
      let output = y + item * g.outputSize
      let b = bias?[m] ?? 0
      switch method {
      case .planar(let planar):
        planar.run(
          plane(item), filter: filter, bias: b, activation: activation, scratch, output,
          next: item + 1 < items.upperBound ? plane(item + 1) : nil)
      case .phaseGrid(let grid):
        grid.run(plane(item), filter: filter, bias: b, activation: activation, scratch, output)
      }
    }
  }
}

/// A depthwise plane of rank 1 or 2 as `graft_depthwise_plane` lays it out (rank 1 is one row).
private struct PlanarDepthwise: Sendable {
  let shape: graft_depthwise_shape
  /// For each kernel cell (row-major), its offset in the scratch: see `graft_depthwise_shape`.
  let taps: [Int]

  var scratchCount: Int { shape.scratch_rows * shape.row_stride }

  init(_ g: WindowGeometry) {
    // Rank 1 becomes a single row of a 2-D plane.
    func axis(_ values: [Int], _ fill: Int) -> (Int, Int) {
      values.count == 2 ? (values[0], values[1]) : (fill, values[0])
    }
    let (inputHeight, inputWidth) = axis(g.input, 1)
    let (outputHeight, outputWidth) = axis(g.output, 1)
    let (kernelHeight, kernelWidth) = axis(g.kernel, 1)
    let (strideHeight, strideWidth) = axis(g.strides, 1)
    let (dilationHeight, dilationWidth) = axis(g.dilations, 1)
    let (padTop, padLeft) = axis(g.padBegin, 0)
    let phaseWidth = (outputWidth + 7) / 8 * 8 + (kernelWidth - 1) * dilationWidth / strideWidth
    let rowStride = strideWidth * phaseWidth
    shape = graft_depthwise_shape(
      input_height: inputHeight, input_width: inputWidth, output_height: outputHeight,
      output_width: outputWidth, stride_height: strideHeight, stride_width: strideWidth,
      pad_top: padTop, pad_left: padLeft, phase_width: phaseWidth, row_stride: rowStride,
      scratch_rows: (outputHeight - 1) * strideHeight + (kernelHeight - 1) * dilationHeight + 1)
    taps = (0..<kernelHeight).flatMap { ky in
      (0..<kernelWidth).map { kx in
        let reach = kx * dilationWidth
        return ky * dilationHeight * rowStride + reach % strideWidth * phaseWidth + reach
          / strideWidth
      }
    }
  }

  func run(
    _ plane: UnsafePointer<Float>, filter: UnsafePointer<Float>, bias: Float,
    activation: FusedActivation?, _ scratch: UnsafeMutablePointer<Float>,
    _ output: UnsafeMutablePointer<Float>, next: UnsafePointer<Float>?
  ) {
    let (kind, lower, upper) = activation.kernelArguments
    withUnsafePointer(to: shape) { shape in
      taps.withUnsafeBufferPointer { taps in
        graft_depthwise_plane(
          shape, taps.baseAddress, taps.count, plane, filter, bias, kind, lower, upper, scratch,
          output, next)
      }
    }
  }
}

/// A depthwise plane of any rank, through a phase grid.
///
/// Each input plane is copied once into a zero-padded *phase grid*, after which every kernel
/// cell is one long contiguous multiply-add over the whole plane:
///
/// - On axis `a`, padded coordinate `c = i + padBegin` goes to phase `c mod s` at position
///   `⌊c / s⌋`. Each phase (a multi-index over the axes, row-major) is a dense block of
///   `Q_a = O_a + ⌊(k_a − 1)·d_a / s_a⌋` cells per axis, row-major with strides `Qstride`.
/// - Kernel cell `κ`, with `κ_a·d_a = q_a·s_a + p_a`, reads output `o`'s input from phase `p` at
///   `o + q`. Embedding the outputs in the same strides (`t = Σ o_a·Qstride_a`), the cell adds
///   `W[κ] · phase_p[t + Σ q_a·Qstride_a]` to `A[t]` for every `t < T = 1 + Σ (O_a − 1)·Qstride_a`;
///   the `t` whose coordinates fall outside `O` are never read back.
/// - Bias and activation are applied while copying the valid cells of `A` to `Y`.
///
/// Cells are accumulated three at a time over chunks of `A` that stay in L1. The scratch holds
/// the grid, then `A`.
private struct PhaseGrid: Sendable {
  let geometry: WindowGeometry
  /// `Q` and its row-major strides; cells per phase and number of phases (`Π s_a`).
  let extents: [Int]
  let gridStrides: [Int]
  let phaseSize: Int
  let phaseCount: Int
  /// The flat extent `T` of the accumulator `A`.
  let accumulated: Int
  /// For each kernel cell, where it reads in the grid: `phase·phaseSize + Σ q_a·Qstride_a`.
  let cellOffsets: [Int]
  /// For each input row (outer input axes, row-major): the grid offset of its outer phase and
  /// position, or −1 when no output reads it.
  let inputRowTargets: [Int]
  /// For each output row: the offset in `A` of its first cell.
  let outputRowStarts: [Int]

  /// Accumulator cells per chunk (4 KB).
  static let chunk = 1024

  var scratchCount: Int { phaseCount * phaseSize + accumulated }

  init(_ g: WindowGeometry) {
    geometry = g
    let rank = g.input.count
    let extents = (0..<rank).map {
      g.output[$0] + (g.kernel[$0] - 1) * g.dilations[$0] / g.strides[$0]
    }
    var strides = Array(repeating: 1, count: rank)
    for a in stride(from: rank - 2, through: 0, by: -1) {
      strides[a] = strides[a + 1] * extents[a + 1]
    }
    self.extents = extents
    gridStrides = strides
    let phaseSize = extents.reduce(1, *)
    self.phaseSize = phaseSize
    phaseCount = g.strides.reduce(1, *)
    accumulated = 1 + (0..<rank).reduce(0) { $0 + (g.output[$1] - 1) * strides[$1] }
    cellOffsets = MultiIndex(g.kernel).map { cell in
      var phase = 0
      var offset = 0
      for a in 0..<rank {
        let reach = cell[a] * g.dilations[a]
        phase = phase * g.strides[a] + reach % g.strides[a]
        offset += reach / g.strides[a] * strides[a]
      }
      return phase * phaseSize + offset
    }
    let outer = 0..<(rank - 1)
    inputRowTargets = MultiIndex(outer.map { g.input[$0] }).map { row in
      var phase = 0
      var offset = 0
      for a in outer {
        let c = row[a] + g.padBegin[a]
        guard c >= 0 && c / g.strides[a] < extents[a] else { return -1 }
        phase = phase * g.strides[a] + c % g.strides[a]
        offset += c / g.strides[a] * strides[a]
      }
      return phase * g.strides[rank - 1] * phaseSize + offset
    }
    outputRowStarts = MultiIndex(outer.map { g.output[$0] }).map { row in
      outer.reduce(0) { $0 + row[$1] * strides[$1] }
    }
  }

  func run(
    _ plane: UnsafePointer<Float>, filter: UnsafePointer<Float>, bias: Float,
    activation: FusedActivation?, _ scratch: UnsafeMutablePointer<Float>,
    _ output: UnsafeMutablePointer<Float>
  ) {
    let sums = scratch + phaseCount * phaseSize
    scatter(plane, into: scratch)
    accumulate(scratch, filter: filter, into: sums)
    for (row, start) in outputRowStarts.enumerated() {
      activation.apply(
        sums + start, into: output + row * geometry.outputRow, count: geometry.outputRow,
        bias: bias)
    }
  }

  /// Copies one input plane into the interior of the phase grid. Along the last axis, phase `p`
  /// takes every `s`-th element from the first `i` with `(i + padBegin) mod s = p`.
  private func scatter(_ plane: UnsafePointer<Float>, into grid: UnsafeMutablePointer<Float>) {
    let g = geometry
    let last = g.input.count - 1
    let (s, pad, width, extent) = (g.strides[last], g.padBegin[last], g.inputRow, extents[last])
    let lowest = max(0, -pad)
    for (row, target) in inputRowTargets.enumerated() where target >= 0 {
      let source = plane + row * width
      for p in 0..<s {
        let first = lowest + ((p - lowest - pad) % s + s) % s
        let q = (first + pad) / s
        let count = max(0, min((width - first + s - 1) / s, extent - q))
        let destination = grid + target + p * phaseSize + q
        if s == 1 {
          destination.update(from: source + first, count: count)
        } else {
          for j in 0..<count { destination[j] = source[first + j * s] }
        }
      }
    }
  }

  /// `A[t] = Σ_κ W[κ] · grid[cellOffsets[κ] + t]` for `t < T`, chunk by chunk, three cells per
  /// pass (the sum's order is fixed, so results do not depend on the thread count).
  private func accumulate(
    _ grid: UnsafePointer<Float>, filter: UnsafePointer<Float>,
    into sums: UnsafeMutablePointer<Float>
  ) {
    let cells = cellOffsets.count
    var start = 0
    while start < accumulated {
      let count = min(Self.chunk, accumulated - start)
      let a = sums + start
      a.update(repeating: 0, count: count)
      var cell = 0
      while cell + 3 <= cells {
        let (w0, w1, w2) = (filter[cell], filter[cell + 1], filter[cell + 2])
        graft_accumulate3(
          a, grid + cellOffsets[cell] + start, grid + cellOffsets[cell + 1] + start,
          grid + cellOffsets[cell + 2] + start, w0, w1, w2, count)
        cell += 3
      }
      while cell < cells {
        graft_accumulate1(a, grid + cellOffsets[cell] + start, filter[cell], count)
        cell += 1
      }
      start += count
    }
  }
}
