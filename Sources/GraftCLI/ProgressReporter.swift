import Foundation
import Graft

/// Shows a run's progress on stderr: a bar redrawn in place on a terminal (done/total, rate,
/// ETA, skipped), a plain line every 10 seconds otherwise, nothing with `quiet`.
final class ProgressReporter {
  /// The command's name, starting each plain line.
  private let label: String
  private let quiet: Bool
  private let terminal = isatty(STDERR_FILENO) == 1
  private var lastLine = Date.distantPast

  init(_ label: String, quiet: Bool) {
    self.label = label
    self.quiet = quiet
  }

  func update(_ progress: ExtractionProgress) {
    guard !quiet else { return }
    let now = Date()
    let finished = progress.inputsDone == progress.inputsTotal
    guard terminal || finished || now.timeIntervalSince(lastLine) >= 10 else { return }
    lastLine = now
    let done = progress.inputsDone - progress.resumedFrom
    let rate = Double(done) / max(progress.seconds, 1e-9)
    let left = Double(progress.inputsTotal - progress.inputsDone) / max(rate, 1e-9)
    let fraction = Double(progress.inputsDone) / Double(max(progress.inputsTotal, 1))
    var line =
      "\(progress.inputsDone)/\(progress.inputsTotal)  \(String(format: "%.1f", rate)) inputs/s"
      + "  ETA \(Self.clock(left))  skipped \(progress.skipped)"
    if terminal {
      let width = 30
      let filled = Int(fraction * Double(width))
      line =
        "[" + String(repeating: "#", count: filled)
        + String(repeating: " ", count: width - filled) + "] " + line
      FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
    } else {
      FileHandle.standardError.write(Data(("\(label): " + line + "\n").utf8))
    }
  }

  /// Ends the bar and prints `text` (what the run did).
  func finish(_ text: String) {
    guard !quiet else { return }
    FileHandle.standardError.write(Data(((terminal ? "\n" : "") + text).utf8))
  }

  /// `seconds` as h:mm:ss or m:ss.
  private static func clock(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "--:--" }
    let total = Int(seconds.rounded())
    let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
    return hours > 0
      ? String(format: "%d:%02d:%02d", hours, minutes, secs)
      : String(format: "%d:%02d", minutes, secs)
  }
}
