import ArgumentParser
import Foundation
import Graft

struct TrainHeadCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train-head",
    abstract: "Train a classifier head on cached features and save it as ONNX.",
    discussion: """
      FEATS is a labelled feature cache from graft extract; a cache of several label columns
      (tasks) needs --labels, which can also train one head per column. Heads:
        logistic  multinomial logistic regression, L2 (C as scikit-learn's), L-BFGS
        svm       linear SVM, one-vs-rest squared hinge (C as LinearSVC's)
        ridge     ridge classifier, closed form (alpha = 1/(2C))
        mlp       one or two ReLU hidden layers (--hidden), Adam, early stopping (alpha = 1/C)
      Features are standardised (folded into the head's first Gemm; --no-standardize to skip).
      C is chosen by stratified k-fold cross-validation over --C (default 0.001 … 100 by
      decades; 10 … 100000 for the MLP), the head refitted on all training rows; SVM and ridge scores are turned into
      probabilities by a softmax temperature fitted on the held-out folds. Results are the same
      for any --threads and repeat under --seed. The head is written with default-domain ONNX
      ops only (Gemm, Relu, Softmax); its class names, layer, pooling, the trunk's SHA-256 and
      the training report are in its metadata_props.
      """)

  @Argument(help: "The feature cache (.h5 from graft extract).")
  var features: String

  @Option(help: "The cached layer to train on (default: the only one).")
  var layer: String?

  @Option(
    help: ArgumentHelp(
      "The label column to train on (default: the only one); several, comma-separated, or "
        + "'all' train one head each, written to OUT with {label} replaced by the column.",
      valueName: "name[,name…]|all"))
  var labels: String?

  @Option(name: [.customShort("o"), .long], help: "The head to write (.onnx).")
  var output: String

  @Option(help: "logistic, svm, ridge or mlp.")
  var head: HeadKind = .logistic

  @Option(
    name: .customLong("C"),
    help: ArgumentHelp("Values of C to cross-validate, comma-separated.", valueName: "c1,c2,…"))
  var grid: String?

  @Option(help: "Folds of the cross-validation.")
  var cv = 5

  @Option(help: "A second labelled cache (same trunk and layer) to report held-out scores on.")
  var val: String?

  @Option(help: "Or hold out this fraction of FEATS for that report (stratified).")
  var valSplit: Double?

  @Option(help: "uniform, or balanced (rows weighed inversely to their class's size).")
  var classWeight: ClassWeighting = .uniform

  @Option(help: "Units per MLP hidden layer, comma-separated (one or two layers).")
  var hidden = "256"

  @Option(help: "Seeds every random choice.")
  var seed: UInt64 = 0

  @Option(help: "Threads (default: all cores); results do not depend on it.")
  var threads: Int?

  @Flag(inversion: .prefixedNo, help: "Standardise the features.")
  var standardize = true

  @Flag(help: "Print a summary as one JSON object on stdout.")
  var json = false

  func run() throws {
    try reportingErrors {
      let grid = try grid.map { text in
        try text.split(separator: ",").map { part in
          guard let value = Double(part.trimmingCharacters(in: .whitespaces)), value > 0 else {
            throw ValidationError("--C '\(text)' should be positive numbers, comma-separated")
          }
          return value
        }
      }
      let hiddenLayers = hidden.split(separator: ",").compactMap { Int($0) }
      guard (1...2).contains(hiddenLayers.count), hiddenLayers.allSatisfy({ $0 > 0 }) else {
        throw ValidationError("--hidden '\(hidden)' should be one or two positive sizes")
      }
      var options = HeadTrainingOptions(
        features: features, layer: layer, output: output, kind: head, grid: grid, folds: cv,
        validation: val, validationSplit: valSplit, classWeighting: classWeight, seed: seed,
        hiddenLayers: hiddenLayers)
      options.standardize = standardize
      if let threads { options.threads = threads }
      options.labels = labels
      let summaries: [HeadTrainingSummary]
      switch labels {
      case "all": summaries = try trainHeads(options, columns: nil)
      case let list? where list.contains(","):
        let columns = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        summaries = try trainHeads(options, columns: columns)
      default: summaries = [try trainHead(options)]
      }
      if json {
        try summaries.count == 1 ? printJSON(summaries[0]) : printJSON(summaries)
      } else if summaries.count == 1 {
        print(Self.text(summaries[0]))
      } else {
        for summary in summaries {
          print("label column '\(summary.labels)':\n\(Self.text(summary))\n")
        }
      }
    }
  }

  /// The summary as printed: per-C fold scores, the choice, accuracies and convergence.
  static func text(_ summary: HeadTrainingSummary) -> String {
    let report = summary.report
    var lines = ["\(summary.head.rawValue) head on '\(summary.layer)', \(report.folds)-fold CV:"]
    for (index, c) in report.grid.enumerated() {
      let folds = report.foldAccuracies[index].map { String(format: "%.4f", $0) }
        .joined(separator: " ")
      let mark = c == summary.c ? "  <- chosen" : ""
      lines.append(
        String(format: "  C=%-8g mean %.4f", c, report.meanAccuracies[index])
          + "  (folds \(folds))\(mark)")
    }
    lines.append(String(format: "train accuracy %.4f", summary.trainAccuracy))
    if let validation = summary.validation {
      lines.append(
        String(
          format: "validation accuracy %.4f, macro F1 %.4f", validation.accuracy, validation.macroF1
        ))
    }
    let unconverged = report.fits.filter { !$0.converged }
    lines.append(
      unconverged.isEmpty
        ? "converged: every fit (\(report.fits.count))"
        : "NOT CONVERGED: \(unconverged.count) of \(report.fits.count) fits hit the iteration "
          + "limit (C = \(Set(unconverged.map(\.c)).sorted().map { "\($0)" }.joined(separator: ", ")))"
    )
    lines.append("wrote \(summary.output) in " + String(format: "%.2f s", summary.seconds))
    return lines.joined(separator: "\n")
  }
}

extension HeadKind: ExpressibleByArgument {}
extension ClassWeighting: ExpressibleByArgument {}
