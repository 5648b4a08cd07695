/// Resamples a tensor to a new size by nearest, linear or cubic interpolation.
///
/// Inputs: X, roi (only read by `tfCropAndResize`: starts then ends, as fractions of the input,
/// one per resized axis), scales (float) or sizes (int64), exactly one of the two. Both name the
/// resized `axes` (default: every axis). The output size of an axis is `sizes[i]`, or
/// `floor(in·scales[i])`; with `keepAspectRatioPolicy` `notLarger`/`notSmaller` the sizes give one
/// common scale, the least/greatest `sizes[i]/in`, and the output is `round(in·scale)`.
///
/// Output cell `o` of an axis maps to input coordinate `x` through `coordinateTransformationMode`
/// (with `s` the effective scale `out/in` or the given scale), then `mode` interpolates:
/// `halfPixel` `(o + 0.5)/s − 0.5`; `halfPixelSymmetric` the same, centred on the input;
/// `pytorchHalfPixel` as `halfPixel` but 0 when the output length is 1; `alignCorners`
/// `o·(in − 1)/(out − 1)`; `asymmetric` `o/s`; `tfHalfPixelForNN` `(o + 0.5)/s`;
/// `tfCropAndResize` the roi interpolation, `extrapolationValue` outside the input. `nearestMode`
/// rounds `x` for `nearest`; `cubicCoeffA` is the cubic kernel's `A` and `excludeOutside` drops
/// (and renormalises) kernel taps outside the input; `antialias` widens linear and cubic kernels
/// by `1/s` when downsampling.
public struct Resize: Operator, Hashable {
  public static let opType = "Resize"

  public enum Mode: String, Sendable, Hashable, CaseIterable {
    case nearest, linear, cubic
  }

  public enum CoordinateTransformationMode: String, Sendable, Hashable, CaseIterable {
    case halfPixel = "half_pixel"
    case halfPixelSymmetric = "half_pixel_symmetric"
    case pytorchHalfPixel = "pytorch_half_pixel"
    case alignCorners = "align_corners"
    case asymmetric
    /// Opset 11 only.
    case tfHalfPixelForNN = "tf_half_pixel_for_nn"
    case tfCropAndResize = "tf_crop_and_resize"
  }

  public enum NearestMode: String, Sendable, Hashable, CaseIterable {
    case roundPreferFloor = "round_prefer_floor"
    case roundPreferCeil = "round_prefer_ceil"
    case floor, ceil
  }

  public enum KeepAspectRatioPolicy: String, Sendable, Hashable, CaseIterable {
    case stretch
    case notLarger = "not_larger"
    case notSmaller = "not_smaller"
  }

  public var antialias: Bool
  public var axes: [Int]?
  public var coordinateTransformationMode: CoordinateTransformationMode
  public var cubicCoeffA: Float
  public var excludeOutside: Bool
  public var extrapolationValue: Float
  public var keepAspectRatioPolicy: KeepAspectRatioPolicy
  public var mode: Mode
  public var nearestMode: NearestMode

  public init(
    antialias: Bool = false, axes: [Int]? = nil,
    coordinateTransformationMode: CoordinateTransformationMode = .halfPixel,
    cubicCoeffA: Float = -0.75, excludeOutside: Bool = false, extrapolationValue: Float = 0,
    keepAspectRatioPolicy: KeepAspectRatioPolicy = .stretch, mode: Mode = .nearest,
    nearestMode: NearestMode = .roundPreferFloor
  ) {
    self.antialias = antialias
    self.axes = axes
    self.coordinateTransformationMode = coordinateTransformationMode
    self.cubicCoeffA = cubicCoeffA
    self.excludeOutside = excludeOutside
    self.extrapolationValue = extrapolationValue
    self.keepAspectRatioPolicy = keepAspectRatioPolicy
    self.mode = mode
    self.nearestMode = nearestMode
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let x = try context.type(0)
    // An empty constant is how opsets 11 and 12 omit scales when sizes are given.
    let hasScales = context.hasInput(2) && context.constant(2)?.count != 0
    let hasSizes = context.hasInput(3) && context.constant(3)?.count != 0
    try require(
      hasScales != hasSizes,
      hasScales
        ? "Resize takes scales or sizes, not both"
        : "Resize needs scales or sizes, and neither is given")
    if hasScales, let dtype = context.inputTypes[2]?.dtype {
      try require(dtype.isFloatingPoint, "scales should be floating point, got \(dtype.rawValue)")
    }
    if hasSizes, let dtype = context.inputTypes[3]?.dtype {
      try require(dtype == .int64, "sizes should be int64, got \(dtype.rawValue)")
    }
    try require(
      coordinateTransformationMode != .tfCropAndResize || context.hasInput(1),
      "coordinate_transformation_mode tf_crop_and_resize needs the roi input")
    guard var shape = x.shape else { return [ValueType(x.dtype, nil)] }
    let axes = try (self.axes ?? Array(shape.indices)).map {
      try ShapeRules.axis($0, rank: shape.count)
    }
    try require(Set(axes).count == axes.count, "axes \(self.axes ?? []) repeat an axis")
    if hasSizes {
      guard let sizes = context.shapeValue(3) else {
        for axis in axes { shape[axis] = .unknown }
        return [ValueType(x.dtype, shape)]
      }
      try require(
        sizes.count == axes.count,
        "sizes has \(sizes.count) values for \(axes.count) resized axes")
      try resize(&shape, axes: axes, sizes: sizes)
    } else if let scales = context.constant(2).map({ $0.doubles().map(Float.init) }) {
      try require(
        scales.count == axes.count,
        "scales has \(scales.count) values for \(axes.count) resized axes")
      for (axis, scale) in zip(axes, scales) {
        try require(scale > 0, "scales should be positive, got \(scales)")
        if let size = shape[axis].value {
          shape[axis] = .fixed(Int((Float(size) * scale).rounded(.down)))
        } else if scale != 1 {
          shape[axis] = .unknown
        }
      }
    } else {
      for axis in axes { shape[axis] = .unknown }
    }
    return [ValueType(x.dtype, shape)]
  }

  private func resize(_ shape: inout [Dim], axes: [Int], sizes: [Dim]) throws {
    for size in sizes {
      if let value = size.value {
        try require(value >= 0, "sizes should not be negative: \(sizes)")
      }
    }
    guard keepAspectRatioPolicy != .stretch else {
      for (axis, size) in zip(axes, sizes) { shape[axis] = size }
      return
    }
    guard let targets = sizes.fixedSizes, let inputs = axes.map({ shape[$0] }).fixedSizes else {
      for axis in axes { shape[axis] = .unknown }
      return
    }
    let ratios = zip(targets, inputs).map { Float($0) / Float($1) }
    let scale = (keepAspectRatioPolicy == .notLarger ? ratios.min() : ratios.max()) ?? 1
    for (axis, size) in zip(axes, inputs) {
      shape[axis] = .fixed(Int((scale * Float(size)).rounded(.toNearestOrAwayFromZero)))
    }
  }
}
