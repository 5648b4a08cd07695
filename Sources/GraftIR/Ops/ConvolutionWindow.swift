/// How a convolution or pooling pads its input (ONNX `auto_pad`).
public enum AutoPad: String, Sendable, Hashable, CaseIterable {
  /// The explicit `pads` attribute applies.
  case notSet = "NOTSET"
  /// Pads so that `out = ceil(in / stride)`; an odd extra cell goes at the end.
  case sameUpper = "SAME_UPPER"
  /// Pads so that `out = ceil(in / stride)`; an odd extra cell goes at the beginning.
  case sameLower = "SAME_LOWER"
  /// No padding.
  case valid = "VALID"

  var isSame: Bool { self == .sameUpper || self == .sameLower }
}

/// The geometry of a sliding window (convolution or pooling) over `rank` spatial axes, with every
/// attribute resolved to one entry per axis.
///
/// Pads are laid out as in ONNX, `[x1_begin, x2_begin, …, x1_end, x2_end, …]`. Under `SAME_*` they
/// depend on the input size and come from `pads(for:)`: the total is
/// `max(0, (ceil(in / stride) − 1)·stride + span − in)` with `span = dilation·(kernel − 1) + 1`,
/// split in half with the odd cell at the end (`SAME_UPPER`) or the beginning (`SAME_LOWER`).
public struct ConvolutionWindow: Sendable, Hashable {
  public let kernelShape: [Int]
  public let strides: [Int]
  public let dilations: [Int]
  public let autoPad: AutoPad
  /// The explicit pads under `NOTSET`; zeros otherwise.
  public let pads: [Int]

  /// Validates the attributes for `kernelShape.count` spatial axes; nil ones take the ONNX defaults
  /// (strides and dilations 1, pads 0).
  public init(
    kernelShape: [Int], strides: [Int]?, dilations: [Int]?, pads: [Int]?, autoPad: AutoPad
  ) throws {
    let rank = kernelShape.count
    try require(
      kernelShape.allSatisfy { $0 > 0 }, "kernel_shape \(kernelShape) should be positive")
    let strides = strides ?? Array(repeating: 1, count: rank)
    try require(
      strides.count == rank && strides.allSatisfy { $0 > 0 },
      "strides \(strides) should be \(rank) positive values, one per spatial axis")
    let dilations = dilations ?? Array(repeating: 1, count: rank)
    try require(
      dilations.count == rank && dilations.allSatisfy { $0 > 0 },
      "dilations \(dilations) should be \(rank) positive values, one per spatial axis")
    let zeros = Array(repeating: 0, count: 2 * rank)
    if let pads {
      try require(
        pads.count == 2 * rank && pads.allSatisfy { $0 >= 0 },
        "pads \(pads) should be \(2 * rank) non-negative values (begins, then ends)")
      try require(
        autoPad == .notSet || pads == zeros,
        "pads \(pads) cannot be combined with auto_pad \(autoPad.rawValue)")
    }
    self.kernelShape = kernelShape
    self.strides = strides
    self.dilations = dilations
    self.autoPad = autoPad
    self.pads = autoPad == .notSet ? pads ?? zeros : zeros
  }

  public var rank: Int { kernelShape.count }

  /// The extent of the dilated kernel along `axis`: `dilation·(kernel − 1) + 1`.
  public func span(_ axis: Int) -> Int { dilations[axis] * (kernelShape[axis] - 1) + 1 }

  /// The begin and end pads of `axis` for an input of size `input`, or nil under `SAME_*` when
  /// that size is not fixed.
  public func padding(axis: Int, input: Dim) -> (begin: Int, end: Int)? {
    guard autoPad.isSame else { return (pads[axis], pads[axis + rank]) }
    guard let size = input.value else { return nil }
    let stride = strides[axis]
    let output = (size + stride - 1) / stride
    let total = max(0, (output - 1) * stride + span(axis) - size)
    let small = total / 2
    return autoPad == .sameUpper ? (small, total - small) : (total - small, small)
  }

  /// The explicit pads for an input whose spatial dims are `spatial`, or nil under `SAME_*` when
  /// one of them is not fixed.
  public func pads(for spatial: [Dim]) -> [Int]? {
    var begins: [Int] = []
    var ends: [Int] = []
    for axis in 0..<rank {
      guard let (begin, end) = padding(axis: axis, input: spatial[axis]) else { return nil }
      begins.append(begin)
      ends.append(end)
    }
    return begins + ends
  }

  /// The spatial dims of the output over an input with spatial dims `spatial`.
  ///
  /// A symbolic size survives where the window keeps the size (stride 1 and `SAME_*`, or stride 1
  /// and pads adding up to `span − 1`), so a 3×3 "same" convolution over `[N, C, H, W]` keeps H, W.
  public func outputSpatial(_ spatial: [Dim], ceilMode: Bool = false) throws -> [Dim] {
    try require(
      spatial.count == rank,
      "the input has \(spatial.count) spatial axes but the window has \(rank)")
    return try (0..<rank).map { axis in
      let input = spatial[axis]
      guard let (begin, end) = padding(axis: axis, input: input) else {
        return strides[axis] == 1 ? input : .unknown
      }
      if input.value == nil {
        return strides[axis] == 1 && begin + end == span(axis) - 1 ? input : .unknown
      }
      return try ShapeRules.windowOutput(
        input: input, kernel: kernelShape[axis], stride: strides[axis],
        dilation: dilations[axis], padBegin: begin, padEnd: end, ceilMode: ceilMode)
    }
  }
}

/// Convolutions and poolings: ops whose pads may be given as `auto_pad`.
public protocol SlidingWindowOperator: Operator {
  var autoPad: AutoPad { get set }
  var pads: [Int]? { get set }

  /// The begin and end pads this node applies to its inputs (ONNX order), `SAME_*` resolved; nil
  /// when they depend on a size that is not fixed.
  func explicitPads(_ context: InferenceContext) throws -> [Int]?
}

extension SlidingWindowOperator {
  /// This op with `SAME_*` padding replaced by explicit pads, for kernels and exporters that only
  /// know explicit pads; unchanged when the input sizes the pads depend on are not fixed.
  public func resolvingAutoPad(_ context: InferenceContext) throws -> Self {
    guard autoPad.isSame, let resolved = try explicitPads(context) else { return self }
    var op = self
    op.autoPad = .notSet
    op.pads = resolved
    return op
  }
}

/// Conv and ConvTranspose: a weight W `[*, *, k1, …, kk]` slid over X `[N, C, D1, …, Dk]`, the
/// kernel size given by `kernelShape` or else by W's spatial dims.
protocol ConvolutionOperator: SlidingWindowOperator {
  var group: Int { get }
  var kernelShape: [Int]? { get }
}

extension ConvolutionOperator {
  /// The element type shared by X, W and B and the shapes of X and W (nil where the rank is
  /// unknown), checked for a positive `group` and the same rank.
  func convolutionInputs(
    _ context: InferenceContext
  ) throws -> (dtype: DType?, x: [Dim]?, w: [Dim]?) {
    let dtype = try context.commonElementType([0, 1, 2], names: ["X", "W", "B"])
    try require(group >= 1, "group should be at least 1, got \(group)")
    let x = try context.channelsFirstShape(0, name: "X")
    let w = try context.channelsFirstShape(1, name: "W")
    if let x, let w {
      try require(
        x.count == w.count,
        "X \(x.shapeDescription) and W \(w.shapeDescription) should have the same rank")
    }
    return (dtype, x, w)
  }

  /// The kernel size over `spatialRank` axes; nil when it is neither an attribute nor fixed in the
  /// weight's shape.
  func kernel(spatialRank: Int, weight: [Dim]?) throws -> [Int]? {
    guard let kernel = kernelShape ?? weight.flatMap({ Array($0[2...]).fixedSizes }) else {
      return nil
    }
    try require(
      kernel.count == spatialRank,
      "kernel_shape \(kernel) should have \(spatialRank) values, one per spatial axis")
    return kernel
  }
}

/// MaxPool and AveragePool: a window slid over each channel of `[N, C, D1, …, Dk]`, giving
/// `[N, C, O1, …, Ok]` with the sizes of `ConvolutionWindow` (floor, or ceiling with `ceilMode`).
public protocol PoolingOperator: SlidingWindowOperator {
  var kernelShape: [Int] { get }
  var strides: [Int]? { get }
  var dilations: [Int]? { get }
  var ceilMode: Bool { get }
}

extension PoolingOperator {
  public func window() throws -> ConvolutionWindow {
    try ConvolutionWindow(
      kernelShape: kernelShape, strides: strides, dilations: dilations, pads: pads,
      autoPad: autoPad)
  }

  /// The pooled shape of input 0, or nil when its rank is unknown.
  func pooledShape(_ context: InferenceContext) throws -> [Dim]? {
    let window = try window()
    guard let x = try context.channelsFirstShape(0, name: "X") else { return nil }
    try require(
      x.count - 2 == kernelShape.count,
      "kernel_shape \(kernelShape) has \(kernelShape.count) values but X \(x.shapeDescription) "
        + "has \(x.count - 2) spatial axes")
    return Array(x[..<2]) + (try window.outputSpatial(Array(x[2...]), ceilMode: ceilMode))
  }

  public func explicitPads(_ context: InferenceContext) throws -> [Int]? {
    guard let x = try context.type(0).shape, x.count == kernelShape.count + 2 else { return nil }
    return try window().pads(for: Array(x[2...]))
  }

  /// `Πk` per output element: one comparison or addition per window cell.
  public func flops(_ context: InferenceContext, outputs: [ValueType]) -> Int? {
    guard let y = outputs.first?.shape?.fixedSizes else { return nil }
    return y.reduce(1, *) * kernelShape.reduce(1, *)
  }
}

// MARK: Input checks shared by the neural-network ops

extension InferenceContext {
  /// The element type shared by the present inputs at `indices` (named `names` in messages), or
  /// nil when none is known.
  ///
  /// - Throws: when two known element types differ, or one is not floating point and
  ///   `floatingPointOnly` is set.
  func commonElementType(
    _ indices: [Int], names: [String], floatingPointOnly: Bool = true
  ) throws -> DType? {
    var first: (dtype: DType, name: String)?
    for (index, name) in zip(indices, names) {
      guard hasInput(index), let dtype = inputTypes[index]?.dtype else { continue }
      try require(
        !floatingPointOnly || dtype.isFloatingPoint,
        "input \(name) should be a floating-point tensor, got \(dtype.rawValue)")
      if let first {
        try require(
          first.dtype == dtype,
          "inputs \(first.name) (\(first.dtype.rawValue)) and \(name) (\(dtype.rawValue)) "
            + "should have the same element type")
      } else {
        first = (dtype, name)
      }
    }
    return first?.dtype
  }

  /// The shape of input `index` laid out `[N, C, D1, …]`, or nil when its rank is unknown.
  func channelsFirstShape(_ index: Int, name: String, minimumRank: Int = 3) throws -> [Dim]? {
    guard let shape = try type(index).shape else { return nil }
    try require(
      shape.count >= minimumRank,
      "input \(name) should have rank \(minimumRank) or more ([N, C, …]), got "
        + shape.shapeDescription)
    return shape
  }

  /// Checks that present input `index` is a vector of length `length` (when both are known).
  func requireVector(_ index: Int, name: String, length: Dim) throws {
    guard hasInput(index), let shape = inputTypes[index]?.shape else { return }
    try require(shape.count == 1, "input \(name) should be a vector, got \(shape.shapeDescription)")
    if let expected = length.value, let actual = shape[0].value {
      try require(
        expected == actual, "input \(name) should have \(expected) elements, got \(actual)")
    }
  }
}
