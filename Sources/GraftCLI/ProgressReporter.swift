import Foundation
import Graft

/// Shows a run's progress on stderr: a bar redrawn in place on a terminal (done/total, rate,
/// ETA, skipped), a plain line every 10 seconds otherwise, nothing with `quiet`.
final class ProgressReporter {
  private let quiet: Bool
  private let terminal = isatty(STDERR_FILENO) == 1
  private var lastLine = Date.distantPast

  init(quiet: Bool) { self.quiet = quiet }

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
      FileHandle.standardError.write(Data(("extract: " + line + "\n").utf8))
    }
  }

  /// Ends the bar and prints what the run did.
  func finish(_ summary: ExtractionSummary) {
    guard !quiet else { return }
    if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
    let shapes = summary.layers.sorted { $0.key < $1.key }
      .map { "\($0.key) \($0.value.map(String.init).joined(separator: "×"))" }
      .joined(separator: ", ")
    var text =
      "wrote \(summary.output): \(summary.rows) rows, \(summary.skipped) skipped; \(shapes)\n"
    if summary.resumedFrom > 0 {
      text += "resumed after \(summary.resumedFrom) inputs done earlier\n"
    }
    text += String(
      format: "%.1f s, %.1f inputs/s\n", summary.seconds, summary.imagesPerSecond)
    FileHandle.standardError.write(Data(text.utf8))
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
