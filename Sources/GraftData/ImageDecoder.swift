import Foundation

/// Errors decoding an image file, naming the file.
public enum ImageError: Error, CustomStringConvertible {
  case unreadable(path: String, reason: String)
  case notAnImage(path: String)
  case corrupt(path: String, format: String, reason: String)
  case unsupported(path: String, reason: String)

  /// The file the error is about.
  public var path: String {
    switch self {
    case .unreadable(let path, _), .notAnImage(let path), .corrupt(let path, _, _),
      .unsupported(let path, _):
      path
    }
  }

  /// What is wrong, without the file's name.
  public var reason: String {
    switch self {
    case .unreadable(_, let reason): "cannot read the file: \(reason)"
    case .notAnImage: "not a JPEG or PNG image (unknown signature)"
    case .corrupt(_, let format, let reason): "truncated or corrupt \(format): \(reason)"
    case .unsupported(_, let reason): "unsupported image: \(reason)"
    }
  }

  public var description: String { "\(path): \(reason)" }
}

/// Decodes JPEG (libjpeg-turbo) and PNG (libpng) files, picking the codec by signature.
///
/// The first bytes decide, never the file name: JPEG starts `FF D8 FF`, PNG
/// `89 50 4E 47 0D 0A 1A 0A`. Images come back with their EXIF orientation applied (a JPEG's
/// APP1 segment, a PNG's `eXIf` chunk), as `ImageOps.exif_transpose` gives them in PIL.
public enum ImageDecoder {
  /// The largest decoded image accepted, in bytes (1 GiB), so a hostile header cannot ask for
  /// an arbitrary allocation.
  static let maxDecodedBytes = 1 << 30

  /// Decodes the image file at `path`.
  ///
  /// - Throws: `ImageError` naming `path` when the file cannot be read, is not a JPEG or PNG,
  ///   or is truncated or corrupt.
  public static func decode(contentsOf path: String) throws -> DecodedImage {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw ImageError.unreadable(path: path, reason: error.localizedDescription)
    }
    return try decode(data: data, name: path)
  }

  /// Decodes an image held in memory; `name` names it in errors.
  public static func decode(data: Data, name: String) throws -> DecodedImage {
    let bytes = [UInt8](data)
    if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
      return try decodeJPEG(bytes, name: name)
    }
    if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
      return try decodePNG(bytes, name: name)
    }
    throw ImageError.notAnImage(path: name)
  }
}
