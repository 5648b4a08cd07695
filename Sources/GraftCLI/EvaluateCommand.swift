import ArgumentParser
import Foundation
import Graft

struct EvaluateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate",
    abstract: "Score a head on labelled cached features.",
    discussion: """
      Runs HEAD (from graft train-head) on the features of its layer in FEATS and prints the
      accuracy, macro F1, per-class precision, recall and F1, and the confusion matrix (rows:
      true class, columns: predicted). FEATS's class names are matched to the head's by name;
      the label column is the one the head was trained on, or FEATS's only one, or --labels.
      --plot writes the confusion matrix as an SVG heat map.
      """)

  @Argument(help: "The head (.onnx from graft train-head).")
  var head: String

  @Argument(help: "A labelled feature cache (.h5 from graft extract).")
  var features: String

  @Option(help: "The label column of FEATS to score against.")
  var labels: String?

  @Option(help: "Write the confusion matrix as an SVG picture to this file.")
  var plot: String?

  @Option(help: "Threads (default: all cores).")
  var threads: Int?

  @Flag(help: "Print the scores as one JSON object.")
  var json = false

  func run() throws {
    try reportingErrors {
      let metrics = try evaluateHead(
        head, on: features, labels: labels,
        threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
      if let plot {
        try writeAtomically(to: plot) {
          try Data(ConfusionPlot.svg(metrics).utf8).write(to: URL(fileURLWithPath: $0))
        }
      }
      if json {
        try printJSON(metrics)
      } else {
        print(metrics.text, terminator: "")
      }
    }
  }
}
