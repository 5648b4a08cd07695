/// A transposed (fractionally strided) convolution: `Conv`'s gradient with respect to its input.
///
/// Layout: X `[N, C, D1, …, Dk]`, W `[C, M/group, k1, …, kk]`, optional bias B `[M]`,
/// Y `[N, M, O1, …, Ok]`. Each input cell scatters `X[n, c, i] · W[c, m, κ]` into
/// `Y[n, m, i·stride + κ·dilation − padBegin]`. Output size per axis:
/// `O = stride·(D − 1) + outputPadding + dilation·(k − 1) + 1 − padBegin − padEnd`, or `D·stride`
/// under `SAME_*`, or `outputShape` when given, in which case the pads are derived from it (the
/// total `stride·(D − 1) + outputPadding + span − O`, at least 0, split with the smaller half first
/// under `SAME_UPPER` and last otherwise). `outputShape` lists the spatial sizes only.
public struct ConvTranspose: ConvolutionOperator, Hashable {
  public static let opType = "ConvTranspose"

  public var autoPad: AutoPad
  public var dilations: [Int]?
  public var group: Int
  public var kernelShape: [Int]?
  public var outputPadding: [Int]?
  public var outputShape: [Int]?
  public var pads: [Int]?
  public var strides: [Int]?

  public init(
    autoPad: AutoPad = .notSet, dilations: [Int]? = nil, group: Int = 1,
    kernelShape: [Int]? = nil, outputPadding: [Int]? = nil, outputShape: [Int]? = nil,
    pads: [Int]? = nil, strides: [Int]? = nil
  ) {
    self.autoPad = autoPad
    self.dilations = dilations
    self.group = group
    self.kernelShape = kernelShape
    self.outputPadding = outputPadding
    self.outputShape = outputShape
    self.pads = pads
    self.strides = strides
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let (dtype, x, w) = try convolutionInputs(context)
    guard let rank = x?.count ?? w?.count else { return [ValueType(dtype, nil)] }
    if let c = x?[1].value, let wc = w?[0].value {
      try require(c == wc, "W has \(wc) input channels (W[0]) but X has \(c)")
    }
    if let c = x?[1].value {
      try require(c % group == 0, "X has \(c) channels, not divisible by group \(group)")
    }
    let outputChannels = w?[1].value.map { Dim.fixed($0 * group) } ?? .unknown
    try context.requireVector(2, name: "B", length: outputChannels)
    var spatial = [Dim](repeating: .unknown, count: rank - 2)
    if let geometry = try geometry(spatialRank: rank - 2, weight: w) {
      if let outputShape {
        spatial = outputShape.map(Dim.fixed)
      } else if let x {
        spatial = try (0..<(rank - 2)).map { try geometry.outputSize(axis: $0, input: x[$0 + 2]) }
      }
    }
    return [ValueType(dtype, [x?[0] ?? .unknown, outputChannels] + spatial)]
  }

  /// The window over `spatialRank` axes, every attribute checked; nil when the kernel size is
  /// neither an attribute nor fixed in the weight's shape.
  public func window(spatialRank: Int, weight: [Dim]?) throws -> ConvolutionWindow? {
    try geometry(spatialRank: spatialRank, weight: weight)?.window
  }

  /// The window and output padding over `spatialRank` axes; nil when the kernel size is neither an
  /// attribute nor fixed in the weight's shape.
  func geometry(spatialRank: Int, weight: [Dim]?) throws -> Geometry? {
    guard let kernel = try kernel(spatialRank: spatialRank, weight: weight) else { return nil }
    if let weight, let kernelShape, let sizes = Array(weight[2...]).fixedSizes {
      try require(
        sizes == kernelShape,
        "kernel_shape \(kernelShape) does not match the spatial dims of W "
          + weight.shapeDescription)
    }
    let window = try ConvolutionWindow(
      kernelShape: kernel, strides: strides, dilations: dilations, pads: pads, autoPad: autoPad)
    let outputPadding = outputPadding ?? Array(repeating: 0, count: spatialRank)
    try require(
      outputPadding.count == spatialRank && outputPadding.allSatisfy { $0 >= 0 },
      "output_padding \(outputPadding) should be \(spatialRank) non-negative values")
    if let outputShape {
      try require(
        outputShape.count == spatialRank && outputShape.allSatisfy { $0 > 0 },
        "output_shape \(outputShape) should be \(spatialRank) positive spatial sizes")
    }
    return Geometry(window: window, outputPadding: outputPadding)
  }

  struct Geometry {
    let window: ConvolutionWindow
    let outputPadding: [Int]

    /// `stride·(D − 1) + outputPadding + span`: the output size before any padding is removed.
    func unpaddedSize(axis: Int, input: Int) -> Int {
      window.strides[axis] * (input - 1) + outputPadding[axis] + window.span(axis)
    }

    func outputSize(axis: Int, input: Dim) throws -> Dim {
      let stride = window.strides[axis]
      if window.autoPad.isSame {
        if let size = input.value { return .fixed(size * stride) }
        return stride == 1 ? input : .unknown
      }
      let removed = window.pads[axis] + window.pads[axis + window.rank]
      guard let size = input.value else {
        let keepsSize = stride == 1 && outputPadding[axis] + window.span(axis) - 1 == removed
        return keepsSize ? input : .unknown
      }
      let output = unpaddedSize(axis: axis, input: size) - removed
      try require(output > 0, "pads \(window.pads) leave no output along spatial axis \(axis)")
      return .fixed(output)
    }
  }

  public func explicitPads(_ context: InferenceContext) throws -> [Int]? {
    guard let x = try context.type(0).shape, x.count >= 3,
      let geometry = try geometry(spatialRank: x.count - 2, weight: (try? context.type(1))?.shape)
    else { return nil }
    let rank = x.count - 2
    let window = geometry.window
    guard outputShape != nil || window.autoPad.isSame else { return window.pads }
    guard let sizes = Array(x[2...]).fixedSizes else { return nil }
    var begins: [Int] = []
    var ends: [Int] = []
    for axis in 0..<rank {
      let target = outputShape?[axis] ?? sizes[axis] * window.strides[axis]
      let total = max(0, geometry.unpaddedSize(axis: axis, input: sizes[axis]) - target)
      let small = total / 2
      begins.append(autoPad == .sameUpper ? small : total - small)
      ends.append(autoPad == .sameUpper ? total - small : small)
    }
    return begins + ends
  }

  /// `2·N·C·ΠD·(M/group)·Πk`: one multiply-add per weight per input element.
  public func flops(_ context: InferenceContext, outputs: [ValueType]) -> Int? {
    guard let x = (try? context.type(0))?.shape?.fixedSizes,
      let w = (try? context.type(1))?.shape?.fixedSizes
    else { return nil }
    return 2 * x.reduce(1, *) * w[1...].reduce(1, *)
  }
}
