import Foundation

/// Runs the built `graft` executable as a user would and captures what it prints.
struct GraftBinary {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The `graft` built beside this test bundle.
  static let executable: URL = {
    let bundleDirectory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
      .deletingLastPathComponent()
    return bundleDirectory.appendingPathComponent("graft")
  }()

  /// Runs `graft arguments…` from the repository root.
  static func run(_ arguments: [String]) throws -> Result {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = repository
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes before waiting so a large output cannot block the child.
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }
}

/// Compares `actual` with the snapshot file at `path` (relative to the repository); with
/// `GRAFT_RECORD_SNAPSHOTS=1` in the environment it writes the snapshot instead.
func matchesSnapshot(_ actual: String, at path: String) throws -> Bool {
  let url = GraftBinary.repository.appendingPathComponent(path)
  if ProcessInfo.processInfo.environment["GRAFT_RECORD_SNAPSHOTS"] == "1" {
    try actual.write(to: url, atomically: true, encoding: .utf8)
    return true
  }
  guard let expected = try? String(contentsOf: url, encoding: .utf8) else { return false }
  return expected == actual
}

extension GraftBinary {
  /// Starts `graft arguments…`, sends it SIGKILL after `seconds` or as soon as `condition`
  /// holds, and tells whether it was still running then (false when it had already exited).
  static func runKilled(
    _ arguments: [String], after seconds: Double, when condition: () -> Bool = { false }
  ) throws -> Bool {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = repository
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning && Date() < deadline && !condition() { usleep(5_000) }
    guard process.isRunning else { return false }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    return true
  }
}
