/// A grouped, strided, dilated convolution over one or more spatial axes.
///
/// Layout (NCHW and its 1-D/3-D kin): X `[N, C, D1, …, Dk]`, W `[M, C/group, k1, …, kk]`, optional
/// bias B `[M]`, Y `[N, M, O1, …, Ok]`. With `g = m / (M/group)` and `i = o·stride + κ·dilation
/// − padBegin`: `Y[n, m, o] = B[m] + Σ_{c, κ} X[n, g·C/group + c, i] · W[m, c, κ]`, reading zeros
/// in the padding. Each `Oi` follows `ConvolutionWindow`. `kernelShape` nil means the
/// weight's spatial dims; `strides`/`dilations` nil mean 1 and `pads` nil means 0 on every axis.
public struct Conv: ConvolutionOperator, Hashable {
  public static let opType = "Conv"

  public var autoPad: AutoPad
  public var dilations: [Int]?
  public var group: Int
  public var kernelShape: [Int]?
  public var pads: [Int]?
  public var strides: [Int]?

  public init(
    autoPad: AutoPad = .notSet, dilations: [Int]? = nil, group: Int = 1,
    kernelShape: [Int]? = nil, pads: [Int]? = nil, strides: [Int]? = nil
  ) {
    self.autoPad = autoPad
    self.dilations = dilations
    self.group = group
    self.kernelShape = kernelShape
    self.pads = pads
    self.strides = strides
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let (dtype, x, w) = try convolutionInputs(context)
    guard let rank = x?.count ?? w?.count else { return [ValueType(dtype, nil)] }
    let outputChannels = w?[0] ?? .unknown
    if let m = outputChannels.value {
      try require(m % group == 0, "W has \(m) output channels, not divisible by group \(group)")
    }
    if let c = x?[1].value {
      try require(c % group == 0, "X has \(c) channels, not divisible by group \(group)")
      if let perGroup = w?[1].value {
        try require(
          perGroup * group == c,
          "W expects \(perGroup)×\(group) input channels (W[1]×group) but X has \(c)")
      }
    }
    try context.requireVector(2, name: "B", length: outputChannels)
    if let w { try requireKernelMatches(w) }
    var spatial = [Dim](repeating: .unknown, count: rank - 2)
    if let window = try window(spatialRank: rank - 2, weight: w), let x {
      spatial = try window.outputSpatial(Array(x[2...]))
    }
    return [ValueType(dtype, [x?[0] ?? .unknown, outputChannels] + spatial)]
  }

  /// The window over `spatialRank` axes; nil when the kernel size is neither an attribute nor fixed
  /// in the weight's shape.
  public func window(spatialRank: Int, weight: [Dim]?) throws -> ConvolutionWindow? {
    guard let kernel = try kernel(spatialRank: spatialRank, weight: weight) else { return nil }
    return try ConvolutionWindow(
      kernelShape: kernel, strides: strides, dilations: dilations, pads: pads, autoPad: autoPad)
  }

  private func requireKernelMatches(_ weight: [Dim]) throws {
    guard let kernelShape else { return }
    try require(
      kernelShape.count == weight.count - 2,
      "kernel_shape \(kernelShape) should have \(weight.count - 2) values, one per spatial axis")
    guard let sizes = Array(weight[2...]).fixedSizes else { return }
    try require(
      sizes == kernelShape,
      "kernel_shape \(kernelShape) does not match the spatial dims of W \(weight.shapeDescription)")
  }

  public func explicitPads(_ context: InferenceContext) throws -> [Int]? {
    guard let x = try context.type(0).shape, x.count >= 3,
      let window = try window(spatialRank: x.count - 2, weight: (try? context.type(1))?.shape)
    else { return nil }
    return window.pads(for: Array(x[2...]))
  }

  /// `2·N·M·ΠO·(C/group)·Πk`: one multiply-add per weight per output element.
  public func flops(_ context: InferenceContext, outputs: [ValueType]) -> Int? {
    guard let y = outputs.first?.shape?.fixedSizes,
      let w = (try? context.type(1))?.shape?.fixedSizes
    else { return nil }
    return 2 * y.reduce(1, *) * w[1...].reduce(1, *)
  }
}
