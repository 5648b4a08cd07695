/// A preset and the explicit options that override it, as `graft extract` takes them, to be
/// resolved against the model's image input.
public struct PreprocessingOptions: Sendable {
  public var preset: Preprocessing.Preset?
  /// The input size S; the model's own when nil.
  public var size: Int?
  /// The shorter side after resizing (0: straight to S×S); `round(S / 0.875)` when nil.
  public var resizeTo: Int?
  /// The centre crop's side; S when nil.
  public var crop: Int?
  public var interpolation: Preprocessing.Interpolation?
  public var scale: Float?
  public var mean: [Float]?
  public var std: [Float]?
  public var bgr: Bool?
  /// The model's own when nil.
  public var layout: Preprocessing.Layout?

  public init(
    preset: Preprocessing.Preset? = nil, size: Int? = nil, resizeTo: Int? = nil,
    crop: Int? = nil, interpolation: Preprocessing.Interpolation? = nil, scale: Float? = nil,
    mean: [Float]? = nil, std: [Float]? = nil, bgr: Bool? = nil,
    layout: Preprocessing.Layout? = nil
  ) {
    self.preset = preset
    self.size = size
    self.resizeTo = resizeTo
    self.crop = crop
    self.interpolation = interpolation
    self.scale = scale
    self.mean = mean
    self.std = std
    self.bgr = bgr
    self.layout = layout
  }

  /// The preprocessing for a model input of spatial size `modelSize` (nil when not fixed), in
  /// `modelLayout` (nil when it cannot be told) with `channels` channels: the preset for the
  /// crop size, each explicit option replacing the preset's value.
  ///
  /// - Throws: `PreprocessingError` for a missing preset or size, a crop other than the model's
  ///   size, a resize smaller than the crop, or a mean or std of the wrong length.
  public func resolved(modelSize: Int?, modelLayout: Preprocessing.Layout?, channels: Int) throws
    -> Preprocessing
  {
    guard let preset else { throw PreprocessingError.noPreset }
    guard let size = size ?? modelSize, size > 0 else { throw PreprocessingError.noSize }
    let crop = crop ?? size
    if let modelSize, crop != modelSize {
      throw PreprocessingError.cropMismatch(crop: crop, modelSize: modelSize)
    }
    guard let layout = layout ?? modelLayout else { throw PreprocessingError.noLayout }
    var result = Preprocessing(preset, size: crop, layout: layout, channels: channels)
    if let resizeTo { result.resizeTo = resizeTo }
    guard result.resizeTo == 0 || result.resizeTo >= crop else {
      throw PreprocessingError.resizeBelowCrop(resizeTo: result.resizeTo, crop: crop)
    }
    if let interpolation { result.interpolation = interpolation }
    if let scale { result.scale = scale }
    for (name, values) in [("--mean", mean), ("--std", std)] {
      if let values, values.count != channels {
        throw PreprocessingError.perChannel(option: name, count: values.count, channels: channels)
      }
    }
    if let mean { result.mean = mean }
    if let std { result.std = std }
    if let bgr { result.bgr = bgr && channels == 3 }
    return result
  }
}

/// Preprocessing options that do not make a usable preprocessing.
public enum PreprocessingError: Error, CustomStringConvertible {
  case noPreset
  case noSize
  case noLayout
  case cropMismatch(crop: Int, modelSize: Int)
  case resizeBelowCrop(resizeTo: Int, crop: Int)
  case perChannel(option: String, count: Int, channels: Int)

  public var description: String {
    switch self {
    case .noPreset:
      "images need --preset (torch, tf, caffe, unit or raw): the scaling the trunk was trained "
        + "with"
    case .noSize: "the model's input has no fixed spatial size; give it with --size S"
    case .noLayout:
      "cannot tell whether the model's input is NCHW or NHWC from its shape; give --layout"
    case .cropMismatch(let crop, let modelSize):
      "--crop \(crop) does not fit the model's input of \(modelSize)×\(modelSize)"
    case .resizeBelowCrop(let resizeTo, let crop):
      "--resize-to \(resizeTo) is smaller than the \(crop)×\(crop) crop (use 0 for a straight "
        + "resize)"
    case .perChannel(let option, let count, let channels):
      "\(option) has \(count) values; the model's input has \(channels) channel(s)"
    }
  }
}
