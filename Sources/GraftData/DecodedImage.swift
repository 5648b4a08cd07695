/// An image decoded from a file, before any conversion: the codec's own channels and bit depth.
///
/// Layout: `samples` holds `height` rows of `width` pixels, each of `channels` samples (row-major
/// HWC), so sample `c` of the pixel at row `y`, column `x` is at `(y * width + x) * channels + c`.
/// Channels: 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA; alpha is straight (not premultiplied).
public struct DecodedImage: Sendable, Equatable {
  /// The samples of an image at its bit depth.
  public enum Samples: Sendable, Equatable {
    /// 8-bit samples, 0...255.
    case uint8([UInt8])
    /// 16-bit samples, 0...65535 (16-bit PNGs).
    case uint16([UInt16])

    /// The number of samples.
    public var count: Int {
      switch self {
      case .uint8(let values): values.count
      case .uint16(let values): values.count
      }
    }
  }

  public let width: Int
  public let height: Int
  /// 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA.
  public let channels: Int
  public let samples: Samples

  /// Bits per sample: 8 or 16.
  public var bitDepth: Int {
    switch samples {
    case .uint8: 8
    case .uint16: 16
    }
  }

  /// Makes an image; `samples` must hold exactly `width * height * channels` values.
  public init(width: Int, height: Int, channels: Int, samples: Samples) {
    precondition(width >= 0 && height >= 0 && (1...4).contains(channels))
    precondition(samples.count == width * height * channels, "sample count does not match")
    self.width = width
    self.height = height
    self.channels = channels
    self.samples = samples
  }

  /// The image as 8-bit RGB (row-major HWC, 3 bytes a pixel), as PIL's `convert("RGB")` gives it.
  ///
  /// Grey is replicated into R, G and B; alpha is dropped without compositing (PIL does not blend
  /// onto a background either). 16-bit samples follow what Pillow 13 does after opening a 16-bit
  /// PNG: RGB, RGBA and grey + alpha keep the high byte (`v >> 8`, truncating, since Pillow
  /// unpacks them with its `;16B` raw modes), while plain 16-bit grey, which Pillow opens as
  /// mode `I;16`, is clamped (`min(v, 255)`), so most of its values become 255.
  public func rgb8() -> [UInt8] {
    switch samples {
    case .uint8(let values) where channels == 3: return values
    case .uint8(let values): return Self.rgb(values, channels: channels) { $0 }
    case .uint16(let values):
      if channels == 1 { return Self.rgb(values, channels: 1) { UInt8(min($0, 255)) } }
      return Self.rgb(values, channels: channels) { UInt8($0 >> 8) }
    }
  }

  private static func rgb<T>(_ values: [T], channels: Int, _ byte: (T) -> UInt8) -> [UInt8] {
    let pixels = values.count / channels
    var out = [UInt8](repeating: 0, count: pixels * 3)
    for pixel in 0..<pixels {
      let base = pixel * channels
      if channels >= 3 {
        for c in 0..<3 { out[pixel * 3 + c] = byte(values[base + c]) }
      } else {
        let grey = byte(values[base])
        for c in 0..<3 { out[pixel * 3 + c] = grey }
      }
    }
    return out
  }
}
