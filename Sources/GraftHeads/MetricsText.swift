import Foundation

extension ClassificationMetrics {
  /// A report for the terminal: the per-class table, the overall scores, and the confusion
  /// matrix with class names, in aligned columns (class names left-aligned, numbers right).
  ///
  ///     class  precision  recall  f1-score  support
  ///     cat       0.6667  1.0000    0.8000        2
  ///     dog       1.0000  0.5000    0.6667        2
  ///
  ///     accuracy 0.7500 on 4 rows, macro F1 0.7333
  ///
  ///     confusion matrix (rows: true class, columns: predicted class)
  ///          cat  dog
  ///     cat    2    0
  ///     dog    1    1
  public var text: String {
    let scores = perClass.map { scores in
      [scores.name] + [scores.precision, scores.recall, scores.f1].map(Self.decimal)
        + [String(scores.support)]
    }
    let matrix = zip(classNames, confusion).map { name, counts in [name] + counts.map(String.init) }
    let lines =
      Self.aligned([["class", "precision", "recall", "f1-score", "support"]] + scores)
      + [
        "", "accuracy \(Self.decimal(accuracy)) on \(rows) rows, macro F1 \(Self.decimal(macroF1))",
      ]
      + ["", "confusion matrix (rows: true class, columns: predicted class)"]
      + Self.aligned([[""] + classNames] + matrix)
    return lines.joined(separator: "\n") + "\n"
  }

  static func decimal(_ value: Double) -> String { String(format: "%.4f", value) }

  /// The cells padded to their column's widest cell, two spaces apart: the first column
  /// left-aligned, the others right-aligned.
  private static func aligned(_ rows: [[String]]) -> [String] {
    let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { cells in
      cells.enumerated().map { column, cell in
        let padding = String(repeating: " ", count: widths[column] - cell.count)
        return column == 0 ? cell + padding : padding + cell
      }.joined(separator: "  ")
    }
  }
}
