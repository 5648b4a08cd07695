import Foundation

/// An output file that could not be written.
public struct OutputError: Error, CustomStringConvertible {
  public var path: String
  public var reason: String
  public var description: String { "cannot write '\(path)': \(reason)" }

  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }
}

/// Writes `path` by letting `body` fill the temporary file `path.partial` (whose path it is
/// given), then renaming it into place; when `body` fails nothing is left. Foundation's errors
/// become `OutputError`s naming `path`.
public func writeAtomically(to path: String, _ body: (_ temporary: String) throws -> Void) throws {
  let temporary = path + ".partial"
  do {
    try body(temporary)
    guard rename(temporary, path) == 0 else {
      throw OutputError(path: path, reason: String(cString: strerror(errno)))
    }
  } catch {
    try? FileManager.default.removeItem(atPath: temporary)
    guard let cocoa = error as? CocoaError else { throw error }
    throw OutputError(
      path: path,
      reason: (cocoa.underlying as? POSIXError).map { String(cString: strerror($0.code.rawValue)) }
        ?? cocoa.localizedDescription)
  }
}
