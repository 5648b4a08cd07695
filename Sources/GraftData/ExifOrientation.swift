/// The EXIF Orientation tag (0x0112): how a stored image must be turned to display upright.
///
/// Each case is named by the correction it calls for, as PIL's `ImageOps.exif_transpose` applies
/// it (the raw value is the tag's value). libjpeg-turbo's TurboJPEG API decodes the stored pixels
/// and ignores EXIF entirely, so GraftData reads the tag itself and applies it after decoding.
public enum ExifOrientation: Int, Sendable, CaseIterable {
  /// 1: stored upright.
  case identity = 1
  /// 2: mirror left to right.
  case flipHorizontal
  /// 3: rotate by 180°.
  case rotate180
  /// 4: mirror top to bottom.
  case flipVertical
  /// 5: transpose (mirror along the main diagonal).
  case transpose
  /// 6: rotate by 90° clockwise (PIL's `ROTATE_270`).
  case rotate90Clockwise
  /// 7: transverse (mirror along the anti-diagonal).
  case transverse
  /// 8: rotate by 90° counter-clockwise (PIL's `ROTATE_90`).
  case rotate90CounterClockwise

  /// The orientation a JPEG's first EXIF APP1 segment records, or `.identity`.
  ///
  /// Walks the JPEG's marker segments up to the first scan (SOS) looking for APP1 starting
  /// `Exif\0\0`, then reads its TIFF header (`II*\0` little-endian or `MM\0*` big-endian), the
  /// IFD0 offset, and IFD0's 12-byte entries for tag 0x0112 of type SHORT. Every offset is
  /// bounds-checked: a missing, malformed or out-of-range tag gives `.identity`, as PIL ignores it.
  public init(jpeg bytes: [UInt8]) {
    self = Self.exifSegment(in: bytes).map { Self(tiff: Array($0)) } ?? .identity
  }

  /// The orientation in EXIF's TIFF structure (a PNG `eXIf` chunk, a JPEG APP1 segment after
  /// `Exif\0\0`), or `.identity` when it has none or it is malformed.
  public init(tiff bytes: [UInt8]) {
    self = Self.orientation(inTIFF: bytes) ?? .identity
  }

  /// The TIFF bytes of the first `Exif\0\0` APP1 segment, if any.
  private static func exifSegment(in bytes: [UInt8]) -> ArraySlice<UInt8>? {
    var offset = 2  // after SOI
    while offset + 4 <= bytes.count {
      guard bytes[offset] == 0xFF else { return nil }
      let marker = bytes[offset + 1]
      if marker == 0xFF {  // fill byte before a marker
        offset += 1
        continue
      }
      if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) {
        offset += 2  // markers without a length
        continue
      }
      if marker == 0xDA || marker == 0xD9 { return nil }  // scan data or end: no EXIF before it
      let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
      let start = offset + 4
      let end = offset + 2 + length
      guard length >= 2, end <= bytes.count else { return nil }
      let exifHeader: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0, 0]  // "Exif\0\0"
      if marker == 0xE1, bytes[start..<end].starts(with: exifHeader) {
        return bytes[(start + 6)..<end]
      }
      offset = end
    }
    return nil
  }

  /// The Orientation entry of IFD0 in a TIFF structure, if present and 1...8.
  private static func orientation(inTIFF bytes: [UInt8]) -> ExifOrientation? {
    guard bytes.count >= 8 else { return nil }
    let littleEndian: Bool
    switch (bytes[0], bytes[1]) {
    case (0x49, 0x49): littleEndian = true
    case (0x4D, 0x4D): littleEndian = false
    default: return nil
    }
    func read(_ offset: Int, _ size: Int) -> Int? {
      guard offset >= 0, size <= bytes.count, offset <= bytes.count - size else { return nil }
      var value = 0
      for index in 0..<size {
        let byte = Int(bytes[littleEndian ? offset + size - 1 - index : offset + index])
        value = value << 8 | byte
      }
      return value
    }
    guard read(2, 2) == 42, let ifd = read(4, 4), let entries = read(ifd, 2) else { return nil }
    for entry in 0..<entries {
      let base = ifd + 2 + entry * 12
      guard let tag = read(base, 2), let type = read(base + 2, 2) else { return nil }
      if tag == 0x0112 {
        guard type == 3, let value = read(base + 8, 2) else { return nil }
        return ExifOrientation(rawValue: value)
      }
    }
    return nil
  }
}

extension DecodedImage {
  /// The image turned upright for `orientation`, as PIL's `ImageOps.exif_transpose` turns it.
  ///
  /// Output pixel (row `r`, column `c`) takes input pixel (`sourceRow`, `sourceColumn`) with
  /// `W`, `H` the input's width and height; the transposing cases swap width and height.
  public func oriented(_ orientation: ExifOrientation) -> DecodedImage {
    if orientation == .identity { return self }
    let swaps = orientation.rawValue >= ExifOrientation.transpose.rawValue
    let outWidth = swaps ? height : width
    let outHeight = swaps ? width : height
    let (w, h) = (width, height)
    func source(_ r: Int, _ c: Int) -> (Int, Int) {
      switch orientation {
      case .identity: (r, c)
      case .flipHorizontal: (r, w - 1 - c)
      case .rotate180: (h - 1 - r, w - 1 - c)
      case .flipVertical: (h - 1 - r, c)
      case .transpose: (c, r)
      case .rotate90Clockwise: (h - 1 - c, r)
      case .transverse: (h - 1 - c, w - 1 - r)
      case .rotate90CounterClockwise: (c, w - 1 - r)
      }
    }
    func remap<T>(_ values: [T]) -> [T] {
      var out = values
      for r in 0..<outHeight {
        for c in 0..<outWidth {
          let (sr, sc) = source(r, c)
          let from = (sr * width + sc) * channels
          let to = (r * outWidth + c) * channels
          for k in 0..<channels { out[to + k] = values[from + k] }
        }
      }
      return out
    }
    let moved: Samples =
      switch samples {
      case .uint8(let values): .uint8(remap(values))
      case .uint16(let values): .uint16(remap(values))
      }
    return DecodedImage(width: outWidth, height: outHeight, channels: channels, samples: moved)
  }
}
