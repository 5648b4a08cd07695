import GraftIR

/// The index arithmetic of a sliding window over `k` fixed-size spatial axes, shared by
/// convolution, transposed convolution and pooling.
///
/// Window position `o` (a cell of the `output` grid) reads kernel cell `κ` at input position
/// `i = o·stride + κ·dilation − padBegin` on every axis; `i` outside `[0, input)` is padding.
/// Flat indices are row-major over the spatial axes. The last axis is handled by ranges so that
/// inner loops run over contiguous (stride 1) or evenly strided memory; the leading ("outer")
/// axes are resolved once into `outerRows`: for outer kernel cell `κo` and outer position `oo`,
/// `outerRows[κo·outerPositions + oo]` is the flat index of the input row read (over the outer
/// input axes), or −1 when that row is padding.
///
/// Transposed convolution uses the same arithmetic with the roles swapped: its input cells are
/// the window positions and its output is the grid the window writes into.
struct WindowGeometry: Sendable {
  let input: [Int]
  let output: [Int]
  let kernel: [Int]
  let strides: [Int]
  let dilations: [Int]
  let padBegin: [Int]

  let inputSize: Int
  let outputSize: Int
  let kernelSize: Int
  /// Sizes along the last axis: input row length, output row length, kernel width.
  let inputRow: Int
  let outputRow: Int
  let kernelRow: Int
  let outerPositions: Int
  let outerRows: [Int32]
  /// For each last-axis kernel cell `kl`, the output range `lo[kl]..<hi[kl]` whose input cell
  /// `o·stride + kl·dilation − padBegin` lies inside the row.
  let lo: [Int]
  let hi: [Int]

  init(
    input: [Int], output: [Int], kernel: [Int], strides: [Int], dilations: [Int],
    padBegin: [Int]
  ) {
    precondition(!input.isEmpty && input.count == output.count && input.count == kernel.count)
    self.input = input
    self.output = output
    self.kernel = kernel
    self.strides = strides
    self.dilations = dilations
    self.padBegin = padBegin
    inputSize = input.reduce(1, *)
    outputSize = output.reduce(1, *)
    kernelSize = kernel.reduce(1, *)
    let last = input.count - 1
    inputRow = input[last]
    outputRow = output[last]
    kernelRow = kernel[last]
    var lo: [Int] = []
    var hi: [Int] = []
    for cell in 0..<kernel[last] {
      let range = WindowGeometry.validRange(
        offset: cell * dilations[last] - padBegin[last], stride: strides[last],
        input: input[last], output: output[last])
      lo.append(range.lowerBound)
      hi.append(range.upperBound)
    }
    self.lo = lo
    self.hi = hi

    let outerInput = Array(input[..<last])
    let outerOutput = Array(output[..<last])
    let outerKernel = Array(kernel[..<last])
    outerPositions = outerOutput.reduce(1, *)
    var rows: [Int32] = []
    rows.reserveCapacity(outerKernel.reduce(1, *) * outerPositions)
    for cell in MultiIndex(outerKernel) {
      for position in MultiIndex(outerOutput) {
        var flat = 0
        for axis in 0..<last {
          let i = position[axis] * strides[axis] + cell[axis] * dilations[axis] - padBegin[axis]
          guard i >= 0 && i < outerInput[axis] else {
            flat = -1
            break
          }
          flat = flat * outerInput[axis] + i
        }
        rows.append(Int32(flat))
      }
    }
    outerRows = rows
  }

  /// The window positions `o` in `0..<output` with `offset + o·stride` in `0..<input`.
  static func validRange(offset: Int, stride: Int, input: Int, output: Int) -> Range<Int> {
    // Smallest o with offset + o·stride ≥ 0, and first o with offset + o·stride ≥ input.
    let lower = offset >= 0 ? 0 : (-offset + stride - 1) / stride
    let upper = input - offset <= 0 ? 0 : (input - offset + stride - 1) / stride
    let clampedLower = min(lower, output)
    return clampedLower..<max(clampedLower, min(upper, output))
  }

  /// Splits kernel cell `κ` (row-major over the kernel) into its outer part and last-axis part.
  @inline(__always) func split(_ cell: Int) -> (outer: Int, last: Int) {
    (cell / kernelRow, cell % kernelRow)
  }

  /// The input offset along the last axis read by output `o` for last-axis kernel cell `kl`.
  @inline(__always) func inputColumn(_ o: Int, _ kl: Int) -> Int {
    o * strides[input.count - 1] + kl * dilations[input.count - 1] - padBegin[input.count - 1]
  }

  /// The flat input index of output `position` for kernel cell `cell`, or nil in the padding.
  func inputIndex(position: Int, cell: Int) -> Int? {
    let (outer, kl) = split(cell)
    let row = Int(outerRows[outer * outerPositions + position / outputRow])
    let ow = position % outputRow
    guard row >= 0, ow >= lo[kl] && ow < hi[kl] else { return nil }
    return row * inputRow + inputColumn(ow, kl)
  }

  /// Writes the im2col matrix of one group for output positions `columns`.
  ///
  /// `x` is `[channels, inputSize]`; `cols` is `[channels·kernelSize, columns.count]`, row
  /// `c·kernelSize + κ` holding `x[c, i(o, κ)]` (0 in the padding) for each `o` in `columns`.
  func im2col(
    _ x: UnsafePointer<Float>, channels: Int, columns: Range<Int>,
    into cols: UnsafeMutablePointer<Float>
  ) {
    let width = columns.count
    let stride = strides[input.count - 1]
    for row in 0..<(channels * kernelSize) {
      let channel = x + (row / kernelSize) * inputSize
      let (outer, kl) = split(row % kernelSize)
      let rowBase = outer * outerPositions
      var destination = cols + row * width
      var position = columns.lowerBound
      while position < columns.upperBound {
        let oo = position / outputRow
        let start = position % outputRow
        let end = min(outputRow, start + columns.upperBound - position)
        let inputRowIndex = Int(outerRows[rowBase + oo])
        if inputRowIndex < 0 {
          destination.update(repeating: 0, count: end - start)
        } else {
          let source = channel + inputRowIndex * inputRow + inputColumn(0, kl)
          let valid = max(start, lo[kl])..<max(max(start, lo[kl]), min(end, hi[kl]))
          for o in start..<valid.lowerBound { destination[o - start] = 0 }
          if stride == 1 {
            (destination + valid.lowerBound - start).update(
              from: source + valid.lowerBound, count: valid.count)
          } else {
            for o in valid { destination[o - start] = source[o * stride] }
          }
          for o in valid.upperBound..<end { destination[o - start] = 0 }
        }
        destination += end - start
        position += end - start
      }
    }
  }

  /// Adds the columns of a transposed convolution into its output (the adjoint of `im2col`).
  ///
  /// Here `output` is the grid of window positions (the transposed convolution's input cells)
  /// and `input` the grid written: `y[i(o, κ)] += cols[κ, o]` for one channel, `cols` being
  /// `[kernelSize, outputSize]` and `y` `[inputSize]`.
  func col2im(_ cols: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
    let stride = strides[input.count - 1]
    for cell in 0..<kernelSize {
      let (outer, kl) = split(cell)
      let column = cols + cell * outputSize
      for oo in 0..<outerPositions {
        let row = Int(outerRows[outer * outerPositions + oo])
        guard row >= 0 else { continue }
        let target = y + row * inputRow + inputColumn(0, kl)
        let source = column + oo * outputRow
        for o in lo[kl]..<hi[kl] { target[o * stride] += source[o] }
      }
    }
  }
}

/// Every multi-index of a shape in row-major order (one empty index for rank 0).
struct MultiIndex: Sequence, IteratorProtocol {
  let shape: [Int]
  private var current: [Int]?

  init(_ shape: [Int]) {
    self.shape = shape
    current = shape.contains(0) ? nil : Array(repeating: 0, count: shape.count)
  }

  mutating func next() -> [Int]? {
    guard let value = current else { return nil }
    var following = value
    var axis = shape.count - 1
    while axis >= 0 {
      following[axis] += 1
      if following[axis] < shape[axis] { break }
      following[axis] = 0
      axis -= 1
    }
    current = axis < 0 ? nil : following
    return value
  }
}

extension KernelContext {
  /// The inference view of this node at its fixed shapes, for ops' own geometry helpers
  /// (`explicitPads`, `window`).
  var inferenceContext: InferenceContext {
    InferenceContext(
      inputTypes: zip(inputTypes, inputShapes).map { dtype, shape in
        shape.map { ValueType(dtype, $0.map(Dim.fixed)) }
      },
      constants: constants, outputCount: outputShapes.count)
  }
}

extension PoolingOperator {
  /// The window of this pooling at the node's fixed shapes, and its resolved pads (begins, then
  /// ends, `SAME_*` applied).
  func windowGeometry(_ context: KernelContext) throws -> (geometry: WindowGeometry, pads: [Int]) {
    let x = try context.shape(0)
    let window = try window()
    guard let pads = try explicitPads(context.inferenceContext) else {
      throw RuntimeError.kernel(node: context.nodeName, "\(Self.opType) pads are unknown")
    }
    let geometry = WindowGeometry(
      input: Array(x[2...]), output: Array(context.outputShapes[0][2...]),
      kernel: window.kernelShape, strides: window.strides, dilations: window.dilations,
      padBegin: Array(pads[..<window.rank]))
    return (geometry, pads)
  }
}

/// Conv and ConvTranspose as their kernels see them: a window and resolved pads.
protocol WindowedConvolution: Operator {
  func window(spatialRank: Int, weight: [Dim]?) throws -> ConvolutionWindow?
  func explicitPads(_ context: InferenceContext) throws -> [Int]?
}

extension Conv: WindowedConvolution {}
extension ConvTranspose: WindowedConvolution {}

extension WindowedConvolution {
  /// The window of this convolution at the node's fixed shapes, and its resolved pads.
  ///
  /// A convolution's window slides over X and writes Y; a transposed convolution's slides over
  /// its input cells and writes into its output grid, so with `transposed` the roles swap.
  func windowGeometry(
    _ context: KernelContext, transposed: Bool = false
  ) throws -> (geometry: WindowGeometry, pads: [Int]) {
    let x = try context.shape(0)
    let w = try context.shape(1)
    let y = context.outputShapes[0]
    guard
      let window = try window(spatialRank: x.count - 2, weight: w.map(Dim.fixed)),
      let pads = try explicitPads(context.inferenceContext)
    else {
      throw RuntimeError.kernel(node: context.nodeName, "\(opType) kernel size is unknown")
    }
    let geometry = WindowGeometry(
      input: Array((transposed ? y : x)[2...]), output: Array((transposed ? x : y)[2...]),
      kernel: window.kernelShape, strides: window.strides, dilations: window.dilations,
      padBegin: Array(pads[..<window.rank]))
    return (geometry, pads)
  }
}
