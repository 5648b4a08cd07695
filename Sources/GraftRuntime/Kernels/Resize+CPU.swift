import GraftIR

extension Resize: CPUExecutable {
  /// Separable resampling with the ONNX reference implementation's formulas: each resized axis
  /// (in ascending order, skipping axes left unchanged) is resampled in turn, output cell `o`
  /// being `Σ_j w[o, j] · input[idx[o, j]]` along that axis, or `extrapolationValue` where
  /// `tfCropAndResize` maps it outside the input. Taps and weights are computed once per plan
  /// (`AxisTaps`). When every weight is 0 or 1 (nearest without extrapolation) the resize is an
  /// index copy and runs on any dtype; otherwise it runs on float32, layout-agnostic (NCHW
  /// resizes H then W, with whole rows of W as the inner loop).
  ///
  /// `scales`, `sizes` and `roi` must be known when the plan is built.
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let shape = try context.shape(0)
    let output = context.outputShapes[0]
    let axes = (self.axes ?? Array(shape.indices)).map { $0 < 0 ? $0 + shape.count : $0 }
    let scales = try scaleFactors(context, shape: shape, axes: axes)
    let roi = try regionOfInterest(context, rank: shape.count, axes: axes)
    var passes: [(axis: Int, taps: AxisTaps)] = []
    for (index, axis) in axes.enumerated() {
      let region = roi?[index]
      let unchanged =
        abs(scales[index] - 1) <= 1e-9 && output[axis] == shape[axis]
        && (region.map { abs($0.start) <= 1e-9 && abs($0.end - 1) <= 1e-9 } ?? true)
      if unchanged { continue }
      passes.append(
        (
          axis,
          AxisTaps(
            self, inputSize: shape[axis], outputSize: output[axis], scale: scales[index],
            roi: region)
        ))
    }
    if passes.allSatisfy({ $0.taps.isIndexing }) {
      var indices = shape.map { Array(0..<$0) }
      for pass in passes { indices[pass.axis] = pass.taps.indices }
      let copy = IndexedCopy(elementSize: try context.elementSize(), shape: shape, indices: indices)
      return ClosureKernel { inputs, outputs, pool in
        copy.run(from: inputs[0]!.data, to: outputs[0].data, pool: pool)
      }
    }
    guard context.inputTypes[0] == .float32 else {
      throw RuntimeError.unsupportedKernel(
        node: context.nodeName,
        "Resize with mode \(mode.rawValue) runs on float32 only (nearest without extrapolation "
          + "on any type); this input is \(context.inputTypes[0]?.rawValue ?? "unknown")")
    }
    return ResizeKernel(
      shape: shape, passes: passes, extrapolationValue: extrapolationValue)
  }

  /// The scale factor of each resized axis as the reference computes it: the given scale, or
  /// `sizes[i] / in` (one common least or greatest ratio under `keepAspectRatioPolicy`).
  private func scaleFactors(_ context: KernelContext, shape: [Int], axes: [Int]) throws
    -> [Double]
  {
    if let scales = context.constants.count > 2 ? context.constants[2] : nil, scales.count > 0 {
      return scales.doubles()
    }
    let hasInput = { (index: Int) in
      index < context.inputShapes.count && context.inputShapes[index]?.reduce(1, *) ?? 0 > 0
    }
    guard !hasInput(2), let sizes = try context.knownIntegers(3, op: "Resize", input: "sizes")
    else {
      throw RuntimeError.unsupportedKernel(
        node: context.nodeName, "Resize: scales or sizes must be known when the plan is built")
    }
    let ratios = zip(sizes, axes).map { Double($0) / Double(shape[$1]) }
    switch keepAspectRatioPolicy {
    case .stretch: return ratios
    case .notLarger: return Array(repeating: ratios.min() ?? 1, count: ratios.count)
    case .notSmaller: return Array(repeating: ratios.max() ?? 1, count: ratios.count)
    }
  }

  /// The roi of each resized axis, when the transformation reads it.
  private func regionOfInterest(_ context: KernelContext, rank: Int, axes: [Int]) throws
    -> [(start: Double, end: Double)]?
  {
    guard coordinateTransformationMode == .tfCropAndResize else { return nil }
    guard let roi = context.constants.count > 1 ? context.constants[1]?.doubles() : nil else {
      throw RuntimeError.unsupportedKernel(
        node: context.nodeName, "Resize: roi must be known when the plan is built")
    }
    let count = self.axes == nil ? rank : axes.count
    guard roi.count == 2 * count else {
      throw RuntimeError.kernel(
        node: context.nodeName,
        "Resize: roi has \(roi.count) values; \(2 * count) expected (starts then ends)")
    }
    return axes.indices.map { index in
      let position = self.axes == nil ? axes[index] : index
      return (roi[position], roi[count + position])
    }
  }
}

/// The taps of one resized axis: for output cell `o`, `width` input positions (clamped into the
/// input, as the reference's edge padding) and their weights, and whether `o` is extrapolated.
struct AxisTaps: Sendable {
  let width: Int
  let positions: [Int]
  let weights: [Float]
  let extrapolated: [Bool]

  init(
    _ resize: Resize, inputSize: Int, outputSize: Int, scale: Double,
    roi: (start: Double, end: Double)?
  ) {
    var positions: [Int] = []
    var weights: [Float] = []
    var extrapolated: [Bool] = []
    var width = 1
    for cell in 0..<outputSize {
      let x = Self.coordinate(
        resize.coordinateTransformationMode, cell: cell, inputSize: inputSize,
        outputSize: outputSize, scale: scale, roi: roi)
      extrapolated.append(
        resize.coordinateTransformationMode == .tfCropAndResize
          && (x < 0 || x > Double(inputSize - 1)))
      let whole = x.rounded(.down)
      let ratio = x == whole ? 1 : x - whole
      var coefficients = Self.coefficients(resize, ratio: ratio, scale: scale)
      width = coefficients.count
      // The `width` positions nearest to x, ties to the smaller (the reference's neighbours).
      let padding = (width + 1) / 2
      let padded = x + Double(padding)
      let floor = padded.rounded(.down)
      let fraction = padded - floor
      let offset =
        width % 2 == 0
        ? (fraction == 0 ? -(width / 2) : -(width / 2) + 1)
        : (fraction <= 0.5 ? -((width - 1) / 2) : -((width - 1) / 2) + 1)
      let first = Int(floor) + offset - padding
      if resize.excludeOutside {
        for tap in 0..<width where !(0..<inputSize).contains(first + tap) {
          coefficients[tap] = 0
        }
        let sum = coefficients.reduce(0, +)
        if sum != 0 { coefficients = coefficients.map { $0 / sum } }
      }
      for tap in 0..<width {
        positions.append(min(max(first + tap, 0), inputSize - 1))
        weights.append(Float(coefficients[tap]))
      }
    }
    self.width = width
    self.positions = positions
    self.weights = weights
    self.extrapolated = extrapolated
  }

  /// Whether each cell copies one input position (one weight 1, the others 0, no extrapolation).
  var isIndexing: Bool {
    !extrapolated.contains(true)
      && stride(from: 0, to: weights.count, by: width).allSatisfy { start in
        let taps = weights[start..<(start + width)]
        return taps.filter { $0 == 1 }.count == 1 && taps.filter { $0 == 0 }.count == width - 1
      }
  }

  /// The input position each cell copies, when `isIndexing`.
  var indices: [Int] {
    stride(from: 0, to: weights.count, by: width).map { start in
      positions[(start..<(start + width)).first { weights[$0] == 1 }!]
    }
  }

  /// The input coordinate of output cell `cell`.
  ///
  /// `align_corners`, `tf_crop_and_resize` and `pytorch_half_pixel` use the output size (an
  /// integer), as onnxruntime does; onnx's reference uses `scale · input` there, which differs
  /// when that product is not whole (Resize-11 with scale 0.75 on 11 cells).
  static func coordinate(
    _ mode: Resize.CoordinateTransformationMode, cell: Int, inputSize: Int, outputSize: Int,
    scale: Double, roi: (start: Double, end: Double)?
  ) -> Double {
    let o = Double(cell)
    let input = Double(inputSize)
    let length = Double(outputSize)
    switch mode {
    case .alignCorners:
      return length == 1 ? 0 : o * (input - 1) / (length - 1)
    case .asymmetric:
      return o / scale
    case .tfCropAndResize:
      let (start, end) = roi ?? (0, 1)
      let x =
        length == 1
        ? (end - start) * (input - 1) / 2 : o * (end - start) * (input - 1) / (length - 1)
      return x + start * (input - 1)
    case .pytorchHalfPixel:
      return length == 1 ? -0.5 : (o + 0.5) / scale - 0.5
    case .halfPixel:
      return (o + 0.5) / scale - 0.5
    case .halfPixelSymmetric:
      let adjustment = length / (scale * input)
      return input / 2 * (1 - adjustment) + (o + 0.5) / scale - 0.5
    case .tfHalfPixelForNN:
      return (o + 0.5) / scale
    }
  }

  /// The weights of the taps around a coordinate whose distance past its left neighbour is
  /// `ratio` (in `(0, 1]`).
  static func coefficients(_ resize: Resize, ratio: Double, scale: Double) -> [Double] {
    switch resize.mode {
    case .nearest:
      if ratio == 1 { return [0, 1] }
      let right: Bool
      switch resize.nearestMode {
      case .roundPreferFloor: right = ratio > 0.5
      case .roundPreferCeil: right = ratio >= 0.5
      case .floor: right = false
      case .ceil: right = true
      }
      return right ? [0, 1] : [1, 0]
    case .linear:
      guard resize.antialias else { return [1 - ratio, ratio] }
      // The triangle kernel stretched by 1/scale when downsampling.
      let scale = min(scale, 1)
      let start = Int((-1 / scale).rounded(.down)) + 1
      let taps = (start..<(2 - start)).map { max(0, min(1, 1 - abs((Double($0) - ratio) * scale))) }
      let sum = taps.reduce(0, +)
      return taps.map { $0 / sum }
    case .cubic:
      let a = Double(resize.cubicCoeffA)
      guard resize.antialias else {
        let left = ratio + 1
        let right = 2 - ratio
        return [
          ((a * left - 5 * a) * left + 8 * a) * left - 4 * a,
          ((a + 2) * ratio - (a + 3)) * ratio * ratio + 1,
          ((a + 2) * (1 - ratio) - (a + 3)) * (1 - ratio) * (1 - ratio) + 1,
          ((a * right - 5 * a) * right + 8 * a) * right - 4 * a,
        ]
      }
      // Keys' cubic kernel stretched by 1/scale when downsampling.
      let scale = min(scale, 1)
      let start = Int((-2 / scale).rounded(.down)) + 1
      let taps = (start..<(2 - start)).map { tap -> Double in
        let x = abs(scale * (Double(tap) - ratio))
        if x <= 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
        if x < 2 { return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }
        return 0
      }
      let sum = taps.reduce(0, +)
      return taps.map { $0 / sum }
    }
  }
}

/// Float32 resampling, one axis after another through scratch buffers.
private struct ResizeKernel: CPUKernel {
  /// One axis pass: the tensor viewed as `[outer, inputSize, inner]` becomes
  /// `[outer, outputSize, inner]`.
  struct Pass {
    var outer: Int
    var inputSize: Int
    var outputSize: Int
    var inner: Int
    var taps: AxisTaps
  }

  let passes: [Pass]
  let extrapolationValue: Float

  init(shape: [Int], passes: [(axis: Int, taps: AxisTaps)], extrapolationValue: Float) {
    var current = shape
    self.passes = passes.map { axis, taps in
      let pass = Pass(
        outer: current[..<axis].reduce(1, *), inputSize: current[axis],
        outputSize: taps.extrapolated.count, inner: current[(axis + 1)...].reduce(1, *),
        taps: taps)
      current[axis] = pass.outputSize
      return pass
    }
    self.extrapolationValue = extrapolationValue
  }

  func run(inputs: [RuntimeTensor?], outputs: [RuntimeTensor], pool: ThreadPool) throws {
    var source = UnsafePointer(inputs[0]!.floats)
    var scratch: [UnsafeMutablePointer<Float>] = []
    defer { for buffer in scratch { buffer.deallocate() } }
    for (index, pass) in passes.enumerated() {
      let destination: UnsafeMutablePointer<Float>
      if index == passes.count - 1 {
        destination = outputs[0].floats
      } else {
        destination = .allocate(capacity: pass.outer * pass.outputSize * pass.inner)
        scratch.append(destination)
      }
      resample(pass, from: source, to: destination, pool: pool)
      source = UnsafePointer(destination)
    }
  }

  /// Along the last axis (`inner == 1`) a work item is a whole line of cells, so that the
  /// scalar dot products run in one tight loop; otherwise it is one output row of `inner`
  /// elements, a weighted sum of input rows that vectorises.
  private func resample(
    _ pass: Pass, from source: UnsafePointer<Float>, to destination: UnsafeMutablePointer<Float>,
    pool: ThreadPool
  ) {
    let from = SharedAddress(UnsafeRawPointer(source))
    let to = SharedAddress(UnsafeMutableRawPointer(destination))
    let extrapolationValue = extrapolationValue
    let width = pass.taps.width
    let (inner, inputSize, outputSize) = (pass.inner, pass.inputSize, pass.outputSize)
    let lines = inner == 1
    let units = lines ? pass.outer : pass.outer * outputSize
    let work = (lines ? outputSize : inner) * width
    pool.parallelFor(units, minimumChunk: max(1, 8192 / max(1, work))) { range in
      let source = from.pointer.assumingMemoryBound(to: Float.self)
      let destination = to.pointer.assumingMemoryBound(to: Float.self)
      pass.taps.positions.withUnsafeBufferPointer { positions in
        pass.taps.weights.withUnsafeBufferPointer { weights in
          pass.taps.extrapolated.withUnsafeBufferPointer { extrapolated in
            if lines {
              for line in range {
                let input = source + line * inputSize
                let output = destination + line * outputSize
                for cell in 0..<outputSize {
                  guard !extrapolated[cell] else {
                    output[cell] = extrapolationValue
                    continue
                  }
                  let first = cell * width
                  var sum = weights[first] * input[positions[first]]
                  for tap in (first + 1)..<(first + width) {
                    sum += weights[tap] * input[positions[tap]]
                  }
                  output[cell] = sum
                }
              }
              return
            }
            for row in range {
              let (batch, cell) = row.quotientAndRemainder(dividingBy: outputSize)
              let out = destination + row * inner
              guard !extrapolated[cell] else {
                out.update(repeating: extrapolationValue, count: inner)
                continue
              }
              let plane = source + batch * inputSize * inner
              let first = cell * width
              let weight = weights[first]
              let line = plane + positions[first] * inner
              for i in 0..<inner { out[i] = weight * line[i] }
              for tap in (first + 1)..<(first + width) {
                let weight = weights[tap]
                let line = plane + positions[tap] * inner
                for i in 0..<inner { out[i] += weight * line[i] }
              }
            }
          }
        }
      }
    }
  }
}
