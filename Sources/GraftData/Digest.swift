internal import CCrypto
import Foundation

/// SHA-256 of files and bytes, through OpenSSL's libcrypto (the machine's SHA instructions, no
/// hand-written hash).
public enum Digest {
  /// The SHA-256 of the bytes of each file in turn (as one stream), as 64 lowercase hex digits.
  ///
  /// Files are read in 4 MB blocks, so memory stays bounded for models of any size.
  ///
  /// - Throws: `DigestError` naming a file that cannot be read.
  public static func sha256(ofFiles paths: [String]) throws -> String {
    try sha256 { update in
      for path in paths { try stream(path, to: update) }
    }
  }

  /// The SHA-256 of `bytes`, as 64 lowercase hex digits.
  public static func sha256(of bytes: Data) -> String {
    // The body throws nothing, so neither does this.
    (try? sha256 { update in update(bytes) }) ?? ""
  }

  /// Runs `feed` with a function that adds bytes to a SHA-256, and returns the digest in hex.
  private static func sha256(_ feed: ((Data) -> Void) throws -> Void) throws -> String {
    guard let context = EVP_MD_CTX_new() else { fatalError("libcrypto could not allocate") }
    defer { EVP_MD_CTX_free(context) }
    EVP_DigestInit_ex(context, EVP_sha256(), nil)
    try feed { bytes in
      bytes.withUnsafeBytes { _ = EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
    }
    var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    EVP_DigestFinal_ex(context, &digest, &length)
    return digest.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
  }

  /// Feeds the file at `path` to `update` in 4 MB blocks.
  private static func stream(_ path: String, to update: (Data) -> Void) throws {
    do {
      guard let handle = FileHandle(forReadingAtPath: path) else {
        throw DigestError(path: path, reason: "no such file, or not readable")
      }
      defer { try? handle.close() }
      while let block = try handle.read(upToCount: 4 << 20), !block.isEmpty { update(block) }
    } catch let error as DigestError {
      throw error
    } catch {
      throw DigestError(path: path, reason: error.localizedDescription)
    }
  }
}

/// A file that could not be read for its digest.
public struct DigestError: Error, CustomStringConvertible {
  public var path: String
  public var reason: String
  public var description: String { "cannot read '\(path)': \(reason)" }
}
