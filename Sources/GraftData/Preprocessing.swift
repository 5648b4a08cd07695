/// How an RGB image becomes a model input, as the trunk was trained: resize the shorter side,
/// centre-crop, scale each channel, lay out.
///
/// Written into the feature cache as JSON (its Codable form), so a cache says how its inputs were
/// made and `--resume` can refuse a cache made otherwise.
public struct Preprocessing: Codable, Hashable, Sendable {
  /// The named presets: each resizes the shorter side to `round(S / 0.875)`, centre-crops S×S,
  /// then scales.
  public enum Preset: String, Codable, CaseIterable, Sendable {
    /// x/255, then ImageNet's mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225).
    case torch
    /// x/127.5 − 1.
    case tf
    /// BGR order, minus (103.939, 116.779, 123.68) (in BGR order).
    case caffe
    /// x/255.
    case unit
    /// x as read.
    case raw
  }

  public enum Interpolation: String, Codable, CaseIterable, Sendable {
    case bilinear
    case nearest
  }

  public enum Layout: String, Codable, CaseIterable, Sendable {
    case nchw
    case nhwc
  }

  /// The shorter side after resizing; 0 resizes straight to `crop`×`crop`.
  public var resizeTo: Int
  /// The side of the centre crop (the model's input size S).
  public var crop: Int
  public var interpolation: Interpolation
  /// Per channel, in the output's channel order: `(x · scale − mean) / std`.
  public var scale: Float
  public var mean: [Float]
  public var std: [Float]
  /// Reverse RGB to BGR before scaling.
  public var bgr: Bool
  public var layout: Layout
  /// 3 for RGB (or BGR) inputs; 1 for greyscale, made as Pillow's `convert("L")` makes it.
  public var channels: Int

  /// - Parameter mean, std: one value per channel.
  public init(
    resizeTo: Int, crop: Int, interpolation: Interpolation = .bilinear, scale: Float = 1,
    mean: [Float] = [0, 0, 0], std: [Float] = [1, 1, 1], bgr: Bool = false,
    layout: Layout = .nchw, channels: Int = 3
  ) {
    precondition(
      [1, 3].contains(channels) && mean.count == channels && std.count == channels,
      "one mean and std per channel, 1 or 3 channels")
    self.resizeTo = resizeTo
    self.crop = crop
    self.interpolation = interpolation
    self.scale = scale
    self.mean = mean
    self.std = std
    self.bgr = bgr && channels == 3
    self.layout = layout
    self.channels = channels
  }

  /// A preset for input size `size`. With one channel, the preset's mean and std are the
  /// averages of its three (torch: 0.449 and 0.226).
  public init(_ preset: Preset, size: Int, layout: Layout = .nchw, channels: Int = 3) {
    let resizeTo = Int((Double(size) / 0.875).rounded(.toNearestOrEven))
    let (scale, mean, std, bgr): (Float, [Float], [Float], Bool) =
      switch preset {
      case .torch: (1 / 255, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225], false)
      case .tf: (1 / 127.5, [1, 1, 1], [1, 1, 1], false)
      case .caffe: (1, [103.939, 116.779, 123.68], [1, 1, 1], true)
      case .unit: (1 / 255, [0, 0, 0], [1, 1, 1], false)
      case .raw: (1, [0, 0, 0], [1, 1, 1], false)
      }
    func perChannel(_ values: [Float]) -> [Float] {
      channels == 3 ? values : [values.reduce(0, +) / 3]
    }
    self.init(
      resizeTo: resizeTo, crop: size, scale: scale, mean: perChannel(mean), std: perChannel(std),
      bgr: bgr, layout: layout, channels: channels)
  }

  /// The model input for an 8-bit RGB image (`[height][width][3]`): `crop × crop × channels`
  /// floats in `layout` order.
  ///
  /// For one channel the image first becomes grey as Pillow's `convert("L")` does it:
  /// `(19595 R + 38470 G + 7471 B + 2¹⁵) >> 16`. The shorter side becomes `resizeTo` and the
  /// longer `⌊resizeTo · long / short⌋` (as torchvision's `Resize(int)` computes it); the crop
  /// starts at `round((side − crop) / 2)` with ties to even (Python's `round`, as torchvision's
  /// `CenterCrop`). `resizeTo` must be 0 or at least `crop`.
  public func apply(rgb pixels: [UInt8], width: Int, height: Int) -> [Float] {
    var result = [Float](repeating: 0, count: crop * crop * channels)
    result.withUnsafeMutableBufferPointer {
      apply(rgb: pixels, width: width, height: height, into: $0)
    }
    return result
  }

  /// Writes the model input for an 8-bit RGB image into `output` (`crop × crop × channels`
  /// floats), as `apply(rgb:width:height:)` computes it.
  public func apply(
    rgb pixels: [UInt8], width: Int, height: Int, into output: UnsafeMutableBufferPointer<Float>
  ) {
    precondition(pixels.count == width * height * 3 && (resizeTo == 0 || resizeTo >= crop))
    precondition(output.count == crop * crop * channels)
    let source =
      channels == 3
      ? pixels
      : (0..<width * height).map { pixel in
        let (r, g, b) = (
          UInt32(pixels[3 * pixel]), UInt32(pixels[3 * pixel + 1]), UInt32(pixels[3 * pixel + 2])
        )
        return UInt8((19595 * r + 38470 * g + 7471 * b + 0x8000) >> 16)
      }
    var (resizedWidth, resizedHeight) = (crop, crop)
    if resizeTo > 0 {
      if width <= height {
        (resizedWidth, resizedHeight) = (resizeTo, resizeTo * height / width)
      } else {
        (resizedWidth, resizedHeight) = (resizeTo * width / height, resizeTo)
      }
    }
    func start(_ side: Int) -> Int { Int((Double(side - crop) / 2).rounded(.toNearestOrEven)) }
    let window = (
      columns: start(resizedWidth)..<(start(resizedWidth) + crop),
      rows: start(resizedHeight)..<(start(resizedHeight) + crop)
    )
    let cropped: [UInt8]
    if (resizedWidth, resizedHeight) == (width, height) {
      cropped = ImageResize.crop(
        source, width: width, channels: channels, columns: window.columns, rows: window.rows)
    } else if interpolation == .bilinear {
      cropped = ImageResize.bilinear(
        source, width: width, height: height, channels: channels, toWidth: resizedWidth,
        toHeight: resizedHeight, window: window)
    } else {
      cropped = ImageResize.crop(
        ImageResize.nearest(
          source, width: width, height: height, channels: channels, toWidth: resizedWidth,
          toHeight: resizedHeight),
        width: resizedWidth, channels: channels, columns: window.columns, rows: window.rows)
    }
    let (side, bands, reversed, nchw) = (crop, channels, bgr, layout == .nchw)
    let out = output.baseAddress!
    cropped.withUnsafeBufferPointer { source in
      for channel in 0..<bands {
        let (sourceChannel, mean, std) = (
          reversed ? 2 - channel : channel, mean[channel], std[channel]
        )
        for y in 0..<side {
          let row = source.baseAddress! + y * side * bands + sourceChannel
          for x in 0..<side {
            let index = nchw ? (channel * side + y) * side + x : (y * side + x) * bands + channel
            out[index] = (Float(row[x * bands]) * scale - mean) / std
          }
        }
      }
    }
  }

  /// The model input for a decoded image (EXIF orientation already applied by the decoder),
  /// converted to 8-bit RGB as Pillow's `convert("RGB")` does.
  public func apply(_ image: DecodedImage) -> [Float] {
    apply(rgb: image.rgb8(), width: image.width, height: image.height)
  }

  /// Writes the model input for a decoded image into `output` (see `apply(_:)`).
  public func apply(_ image: DecodedImage, into output: UnsafeMutableBufferPointer<Float>) {
    apply(rgb: image.rgb8(), width: image.width, height: image.height, into: output)
  }
}
