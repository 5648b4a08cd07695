import CTurboJPEG

extension ImageDecoder {
  /// Decodes a JPEG with TurboJPEG into 8-bit grey (grey JPEGs) or RGB (everything else).
  ///
  /// TurboJPEG's defaults are the ones PIL decodes with: the accurate integer IDCT (`JDCT_ISLOW`)
  /// and fancy (smooth) chroma upsampling. libjpeg's warnings are handled as PIL handles them:
  /// "Premature end of JPEG file" (the data ran out, the rest would be grey) is an error, as PIL's
  /// "image file is truncated"; the others ("Corrupt JPEG data: …", damaged but decodable) keep
  /// the pixels, which are then PIL's too. TurboJPEG reports only the first warning, so a file
  /// both damaged and truncated decodes with a grey tail. TurboJPEG reports errors by return code
  /// and `tjGetErrorStr2`, never by longjmp, so it is safe to call from Swift. It ignores EXIF
  /// orientation; `decode(data:name:)` applies it.
  static func decodeJPEG(_ bytes: [UInt8], name: String) throws -> DecodedImage {
    guard let handle = tjInitDecompress() else {
      throw ImageError.unsupported(path: name, reason: "cannot start the JPEG decoder")
    }
    defer { tjDestroy(handle) }
    /// Throws for a failed TurboJPEG call unless it only warned of damage PIL also tolerates.
    func check(_ status: Int32) throws {
      guard status != 0 else { return }
      let reason = String(cString: tjGetErrorStr2(handle))
      let warning = tjGetErrorCode(handle) == Int32(TJERR_WARNING.rawValue)
      if warning && !reason.hasPrefix("Premature end of JPEG file") { return }
      throw ImageError.corrupt(path: name, format: "JPEG", reason: reason)
    }
    var width: Int32 = 0
    var height: Int32 = 0
    var subsampling: Int32 = 0
    var colorspace: Int32 = 0
    let headerStatus = bytes.withUnsafeBufferPointer {
      tjDecompressHeader3(
        handle, $0.baseAddress, UInt($0.count), &width, &height, &subsampling, &colorspace)
    }
    try check(headerStatus)
    if colorspace == Int32(TJCS_CMYK.rawValue) || colorspace == Int32(TJCS_YCCK.rawValue) {
      throw ImageError.unsupported(path: name, reason: "CMYK JPEGs are not supported")
    }
    let grey = colorspace == Int32(TJCS_GRAY.rawValue)
    let channels = grey ? 1 : 3
    let (count, overflow) = Int(width).multipliedReportingOverflow(by: Int(height) * channels)
    guard !overflow, count <= maxDecodedBytes else {
      throw ImageError.unsupported(path: name, reason: "\(width)×\(height) is too large")
    }
    var pixels = [UInt8](repeating: 0, count: count)
    let format = grey ? TJPF_GRAY : TJPF_RGB
    let status = bytes.withUnsafeBufferPointer { source in
      pixels.withUnsafeMutableBufferPointer { target in
        tjDecompress2(
          handle, source.baseAddress, UInt(source.count), target.baseAddress, width, 0, height,
          format.rawValue, 0)
      }
    }
    try check(status)
    return DecodedImage(
      width: Int(width), height: Int(height), channels: channels, samples: .uint8(pixels))
  }
}
