import Foundation

/// An output file that could not be written.
public struct OutputError: Error, CustomStringConvertible {
  public var path: String
  public var reason: String
  public var description: String { "cannot write '\(path)': \(reason)" }
}

/// Writes `path` through `body` into `path.partial` beside it, renamed into place only when
/// `body` succeeds; on failure nothing is left.
func writeAtomically(to path: String, _ body: (FileHandle) throws -> Void) throws {
  let temporary = path + ".partial"
  guard FileManager.default.createFile(atPath: temporary, contents: nil),
    let file = FileHandle(forWritingAtPath: temporary)
  else { throw OutputError(path: path, reason: "cannot create '\(temporary)'") }
  do {
    try body(file)
    try file.close()
    guard rename(temporary, path) == 0 else {
      throw OutputError(path: path, reason: String(cString: strerror(errno)))
    }
  } catch {
    try? file.close()
    try? FileManager.default.removeItem(atPath: temporary)
    throw error
  }
}

/// Writes `data` to `path` atomically (see `writeAtomically(to:_:)`).
public func writeAtomically(_ data: Data, to path: String) throws {
  try writeAtomically(to: path) { $0.write(data) }
}
