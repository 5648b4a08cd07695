import CGraftImage

extension ImageDecoder {
  /// Decodes a PNG with libpng (through `graft_png_decode`, which keeps libpng's longjmp in C).
  ///
  /// Palette images become RGB, or RGBA when they have a tRNS chunk; grey below 8 bits is scaled
  /// to 8; 16-bit images stay 16-bit (`DecodedImage.rgb8()` reduces them as PIL does). Grey and
  /// RGB tRNS colour keys and gamma chunks are ignored, as PIL's `convert("RGB")` ignores them.
  /// The orientation in an `eXIf` chunk before the image data (where PIL writes it) is applied;
  /// one after the image data is not read.
  static func decodePNG(_ bytes: [UInt8], name: String) throws -> DecodedImage {
    var image = graft_png_image()
    var message = [CChar](repeating: 0, count: 256)
    let status = bytes.withUnsafeBufferPointer { source in
      message.withUnsafeMutableBufferPointer { text in
        graft_png_decode(
          source.baseAddress, source.count, maxDecodedBytes, &image, text.baseAddress, text.count)
      }
    }
    guard status == 0 else {
      let reason = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
      throw ImageError.corrupt(path: name, format: "PNG", reason: reason)
    }
    defer { graft_png_free(&image) }
    guard let pixels = image.pixels else {
      throw ImageError.corrupt(path: name, format: "PNG", reason: "no pixels decoded")
    }
    let count = Int(image.width) * Int(image.height) * Int(image.channels)
    let samples: DecodedImage.Samples
    if image.bit_depth == 16 {
      let start = pixels.assumingMemoryBound(to: UInt16.self)
      samples = .uint16(Array(UnsafeBufferPointer(start: start, count: count)))
    } else {
      let start = pixels.assumingMemoryBound(to: UInt8.self)
      samples = .uint8(Array(UnsafeBufferPointer(start: start, count: count)))
    }
    let decoded = DecodedImage(
      width: Int(image.width), height: Int(image.height), channels: Int(image.channels),
      samples: samples)
    guard let exif = image.exif else { return decoded }
    let tiff = Array(UnsafeBufferPointer(start: exif, count: Int(image.exif_size)))
    return decoded.oriented(ExifOrientation(tiff: tiff))
  }
}
