import CTurboJPEG

extension ImageDecoder {
  /// Decodes a JPEG with TurboJPEG into 8-bit grey (grey JPEGs) or RGB (everything else).
  ///
  /// CMYK and YCCK JPEGs are converted to RGB as PIL converts them (see `rgb(fromCMYK:)`).
  ///
  /// TurboJPEG's defaults are the ones PIL decodes with: the accurate integer IDCT (`JDCT_ISLOW`)
  /// and fancy (smooth) chroma upsampling. libjpeg's warnings are handled as PIL handles them:
  /// "Premature end of JPEG file" (the data ran out, the rest would be grey) is an error, as PIL's
  /// "image file is truncated"; the others ("Corrupt JPEG data: …", damaged but decodable) keep
  /// the pixels, which are then PIL's too. TurboJPEG reports only the first warning, so a file
  /// both damaged and truncated decodes with a grey tail. TurboJPEG reports errors by return code
  /// and `tjGetErrorStr2`, never by longjmp, so it is safe to call from Swift. It ignores EXIF
  /// orientation, which is applied here from `ExifOrientation(jpeg:)`.
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
    let cmyk = colorspace == Int32(TJCS_CMYK.rawValue) || colorspace == Int32(TJCS_YCCK.rawValue)
    let grey = colorspace == Int32(TJCS_GRAY.rawValue)
    let channels = grey ? 1 : cmyk ? 4 : 3
    let (count, overflow) = Int(width).multipliedReportingOverflow(by: Int(height) * channels)
    guard !overflow, count <= maxDecodedBytes else {
      throw ImageError.unsupported(path: name, reason: "\(width)×\(height) is too large")
    }
    var pixels = [UInt8](repeating: 0, count: count)
    let format = grey ? TJPF_GRAY : cmyk ? TJPF_CMYK : TJPF_RGB
    let status = bytes.withUnsafeBufferPointer { source in
      pixels.withUnsafeMutableBufferPointer { target in
        tjDecompress2(
          handle, source.baseAddress, UInt(source.count), target.baseAddress, width, 0, height,
          format.rawValue, 0)
      }
    }
    try check(status)
    let image = DecodedImage(
      width: Int(width), height: Int(height), channels: cmyk ? 3 : channels,
      samples: .uint8(cmyk ? rgb(fromCMYK: pixels) : pixels))
    return image.oriented(ExifOrientation(jpeg: bytes))
  }

  /// RGB from the CMYK samples TurboJPEG decodes, exactly as PIL gets it.
  ///
  /// PIL reads every 4-component JPEG as inverted ("Adobe") CMYK, `C = 255 - stored`, whatever
  /// the APP14 marker says, and its `convert("RGB")` computes `R = nk - C·nk/255` with
  /// `nk = 255 - K` (here the stored K) and its rounding `MULDIV255(a, b) = ((t >> 8) + t) >> 8`,
  /// `t = a·b + 128`; likewise G from M and B from Y.
  static func rgb(fromCMYK samples: [UInt8]) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: samples.count / 4 * 3)
    for pixel in 0..<(samples.count / 4) {
      let nk = Int(samples[pixel * 4 + 3])
      for c in 0..<3 {
        let t = (255 - Int(samples[pixel * 4 + c])) * nk + 128
        out[pixel * 3 + c] = UInt8(nk - ((t >> 8) + t) >> 8)
      }
    }
    return out
  }
}
