import Foundation

/// How well predicted class labels match the true ones: accuracy, macro F1, per-class precision,
/// recall, F1 and support, and the confusion matrix.
///
/// The numbers are scikit-learn's (`accuracy_score`, `precision_recall_fscore_support`,
/// `f1_score(average="macro")`, `confusion_matrix`) with `zero_division=0`, the value its default
/// warns about and then uses: for class c with `tp` rows of c predicted as c, `predicted` rows
/// predicted as c and `support` rows of c, precision is `tp / predicted`, recall
/// `tp / support`, F1 `2·tp / (predicted + support)`, each 0 when its denominator is. Macro F1
/// averages F1 over the classes that occur among the true or the predicted labels, as
/// scikit-learn does when its `labels` argument is not given; the per-class table lists every
/// class. Accuracy is 0 for no rows.
///
/// JSON keys: `accuracy`, `macro_f1`, `per_class` (`name`, `precision`, `recall`, `f1`,
/// `support` per class, in class order) and `confusion` (`confusion[t][p]` counts the rows of
/// true class t predicted as p).
public struct ClassificationMetrics: Codable, Sendable, Equatable {
  public struct ClassScores: Codable, Sendable, Equatable {
    public var name: String
    public var precision: Double
    public var recall: Double
    public var f1: Double
    /// Rows whose true class this is.
    public var support: Int

    public init(name: String, precision: Double, recall: Double, f1: Double, support: Int) {
      self.name = name
      self.precision = precision
      self.recall = recall
      self.f1 = f1
      self.support = support
    }
  }

  public var accuracy: Double
  public var macroF1: Double
  public var perClass: [ClassScores]
  /// Rows are true classes, columns predicted classes.
  public var confusion: [[Int]]

  private enum CodingKeys: String, CodingKey {
    case accuracy
    case macroF1 = "macro_f1"
    case perClass = "per_class"
    case confusion
  }

  /// Scores `predicted` against `trueLabels` (class indices into `classNames`, one per row).
  public init(trueLabels: [Int32], predicted: [Int32], classNames: [String]) {
    precondition(trueLabels.count == predicted.count, "one prediction per row")
    let classes = classNames.count
    var confusion = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
    for (truth, guess) in zip(trueLabels, predicted) {
      precondition(truth >= 0 && Int(truth) < classes && guess >= 0 && Int(guess) < classes)
      confusion[Int(truth)][Int(guess)] += 1
    }
    let ratio = { (part: Int, whole: Int) in whole == 0 ? 0 : Double(part) / Double(whole) }
    let scores = classNames.indices.map { label in
      let hits = confusion[label][label]
      let support = confusion[label].reduce(0, +)
      let predicted = confusion.reduce(0) { $0 + $1[label] }
      return ClassScores(
        name: classNames[label], precision: ratio(hits, predicted), recall: ratio(hits, support),
        f1: ratio(2 * hits, predicted + support), support: support)
    }
    let occurring = classNames.indices.filter { label in
      scores[label].support > 0 || confusion.contains { $0[label] > 0 }
    }
    let f1Sum = occurring.map { scores[$0].f1 }.reduce(0, +)
    macroF1 = occurring.isEmpty ? 0 : f1Sum / Double(occurring.count)
    accuracy = ratio(classNames.indices.map { confusion[$0][$0] }.reduce(0, +), trueLabels.count)
    perClass = scores
    self.confusion = confusion
  }

  public var classNames: [String] { perClass.map(\.name) }

  /// Rows scored.
  public var rows: Int { perClass.map(\.support).reduce(0, +) }
}
