internal import CCrypto
import Foundation

/// SHA-256 of files, through OpenSSL's libcrypto (the machine's SHA instructions, no hand-written
/// hash).
public enum FileDigest {
  /// The SHA-256 of the bytes of each file in turn (as one stream), as 64 lowercase hex digits.
  ///
  /// Files are read in 4 MB blocks, so memory stays bounded for models of any size.
  ///
  /// - Throws: `FileDigestError` naming a file that cannot be read.
  public static func sha256(ofFiles paths: [String]) throws -> String {
    guard let context = EVP_MD_CTX_new() else { fatalError("libcrypto could not allocate") }
    defer { EVP_MD_CTX_free(context) }
    EVP_DigestInit_ex(context, EVP_sha256(), nil)
    for path in paths {
      guard let handle = FileHandle(forReadingAtPath: path) else {
        throw FileDigestError(path: path, reason: "no such file, or not readable")
      }
      defer { try? handle.close() }
      while true {
        let block: Data?
        do {
          block = try handle.read(upToCount: 4 << 20)
        } catch {
          throw FileDigestError(path: path, reason: error.localizedDescription)
        }
        guard let block, !block.isEmpty else { break }
        block.withUnsafeBytes { _ = EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
      }
    }
    var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    EVP_DigestFinal_ex(context, &digest, &length)
    return digest.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
  }
}

/// A file that could not be read for its digest.
public struct FileDigestError: Error, CustomStringConvertible {
  public var path: String
  public var reason: String
  public var description: String { "cannot read '\(path)': \(reason)" }
}
