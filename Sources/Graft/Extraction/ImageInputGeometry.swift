/// What a model's image input expects: layout, channel count and spatial size, read from its
/// shape `[N, C, H, W]` (NCHW, ONNX) or `[N, H, W, C]` (NHWC, Keras).
struct ImageInputGeometry {
  var layout: Preprocessing.Layout
  /// 1 (greyscale) or 3 (RGB).
  var channels: Int
  /// The side of a fixed square input; nil when the spatial dims are symbolic.
  var size: Int?

  /// Reads the geometry of `input`; `layout` overrides the layout the shape suggests.
  ///
  /// The layout is NCHW when dim 1 is 1 or 3 and dim 3 is not (or both are), NHWC when only
  /// dim 3 is; `layout` must be given when neither is.
  ///
  /// - Throws: `ExtractionError.notAnImageInput` for a rank other than 4, a non-float input, a
  ///   channel count other than 1 or 3, or fixed spatial dims that are not square.
  init(_ input: ValueInfo, layout: Preprocessing.Layout?) throws {
    func refuse(_ reason: String) -> ExtractionError {
      .notAnImageInput(name: input.name, type: input.type, reason: reason)
    }
    guard let shape = input.type.shape, shape.count == 4 else {
      throw refuse("images need an input of rank 4 ([N, C, H, W] or [N, H, W, C])")
    }
    guard input.type.dtype == .float32 else { throw refuse("images need a float32 input") }
    func isChannelCount(_ dim: Dim) -> Bool { dim.value == 1 || dim.value == 3 }
    let chosen =
      layout ?? (isChannelCount(shape[1]) ? .nchw : isChannelCount(shape[3]) ? .nhwc : nil)
    guard let chosen else {
      throw refuse(
        "neither dim 1 nor dim 3 is 1 or 3 channels; give --layout if it is NCHW or NHWC")
    }
    let (channelDim, spatial) =
      chosen == .nchw ? (shape[1], [shape[2], shape[3]]) : (shape[3], [shape[1], shape[2]])
    guard let channels = channelDim.value, [1, 3].contains(channels) else {
      throw refuse("images give 1 or 3 channels, the input has \(channelDim) in \(chosen) layout")
    }
    if let height = spatial[0].value, let width = spatial[1].value, height != width {
      throw refuse("its \(height)×\(width) input is not square; images are centre-cropped square")
    }
    self.layout = chosen
    self.channels = channels
    size = spatial[0].value ?? spatial[1].value
  }
}
