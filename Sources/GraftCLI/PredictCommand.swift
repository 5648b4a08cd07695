import ArgumentParser
import Foundation
import Graft

struct PredictCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "predict",
    abstract: "Predict the class of images or array rows with a trunk and its head.",
    discussion: """
      MODEL is a model made by graft attach, or a trunk given with --head. DATA is as for
      graft extract (image folders, a path,label CSV, FILE.npy or FILE.h5:/name); images are
      preprocessed as the head's training features were. The CSV has a header
      id,label,<one column per class>,error and one row per input: its id, the most probable
      class and each class's probability; an image that cannot be decoded gets empty fields and
      the reason in 'error' (with --strict it stops the run instead).
      """)

  @OptionGroup var source: ModelArguments

  @Argument(help: "Images or an array file.")
  var data: String

  @Option(help: "The head (.onnx from graft train-head) when MODEL is the trunk.")
  var head: String?

  @Option(name: [.customShort("o"), .long], help: "The CSV to write.")
  var output: String

  @OptionGroup var batching: BatchArguments

  @OptionGroup var report: ReportArguments

  func run() throws {
    try reportingErrors {
      let reporter = ProgressReporter("predict", quiet: report.quiet)
      let summary = try predict(
        PredictionOptions(
          model: source.model, config: source.config, head: head, data: data, output: output,
          batchSize: batching.batch, threads: batching.threads, strict: batching.strict),
        progress: reporter.update)
      reporter.finish(
        "wrote \(summary.output): \(summary.rows) predictions, \(summary.skipped) skipped\n")
      if report.json { try printJSON(summary) }
    }
  }
}
