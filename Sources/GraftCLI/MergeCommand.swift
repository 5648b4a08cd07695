import ArgumentParser
import Foundation
import Graft

struct MergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Join feature caches (the shards of one extract run) into one cache.",
    discussion: """
      Typically INPUTS are the caches of `graft extract --shard K/N`, given in
      shard order (1/N first; a shell glob like f-*.h5 puts f-10 before f-2): the
      merged cache then equals the cache of one unsharded run. Rows are written
      in the order the inputs are given, each input's rows in order; the skipped
      lists are joined likewise. The output has no shard attribute and carries
      the first input's provenance (its graft_version included). One input is
      copied. A summary goes to stderr, unless --quiet.

      Checked before anything is written: every input is a finished cache (not an
      OUT.partial of an interrupted run); all were made with the same model,
      layers, pooling, preprocessing and feature dtype, and have the same feature
      shapes; all are labelled or all unlabelled; no id (row or skipped input) is
      in two inputs, as when a shard is given twice; no file is given twice; the
      output is not an input.

      Labels: when the inputs' label_names differ (caches of different folders),
      the output's label_names are their sorted union (numerically for integer
      labels of array data) and each input's labels are remapped into it.

      Features are copied in blocks of rows, so memory stays bounded whatever the
      cache size; float16 caches stay float16. The output is written as
      OUT.partial and renamed when complete; a failed merge leaves nothing at OUT.
      """)

  @Argument(help: "The caches to merge, in the order their rows are to be written.")
  var inputs: [String] = []

  @Option(name: [.customShort("o"), .long], help: "The merged cache to write (.h5).")
  var output: String

  @OptionGroup var report: ReportArguments

  func run() throws {
    try reportingErrors {
      let terminal = !report.quiet && isatty(STDERR_FILENO) == 1
      let summary = try FeatureCacheMerge.merge(inputs, into: output) { progress in
        guard terminal else { return }
        let line = "\rmerge: \(progress.rowsDone)/\(progress.rowsTotal) rows\u{1B}[K"
        FileHandle.standardError.write(Data(line.utf8))
      }
      if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
      if !report.quiet {
        let caches = summary.inputs.count == 1 ? "1 cache" : "\(summary.inputs.count) caches"
        let text =
          "merged \(caches): \(summary.rows) rows, \(summary.skipped) skipped → "
          + "\(summary.output)\n"
        FileHandle.standardError.write(Data(text.utf8))
      }
      if report.json {
        try printJSON(summary)
      }
    }
  }
}
