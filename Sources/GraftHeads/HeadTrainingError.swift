/// Why a head cannot be trained on a training set.
public enum HeadTrainingError: Error, Equatable, CustomStringConvertible {
  case noRows
  /// Fewer than two classes have rows.
  case singleClass(classesWithRows: Int)
  /// Stratified folds need every class in every fold: a class has fewer rows than folds.
  case tooFewRows(classIndex: Int, rows: Int, folds: Int)
  case badFoldCount(Int)
  /// The regularisation grid is empty or holds a value that is not positive and finite.
  case badGrid([Double])

  public var description: String {
    switch self {
    case .noRows: "the training set has no rows"
    case .singleClass(let count):
      "the training set has rows of \(count) class\(count == 1 ? "" : "es"); a head needs 2"
    case .tooFewRows(let index, let rows, let folds):
      "class \(index) has \(rows) row\(rows == 1 ? "" : "s"), fewer than the \(folds) "
        + "cross-validation folds; lower the fold count or add rows"
    case .badFoldCount(let folds): "cross-validation needs at least 2 folds, got \(folds)"
    case .badGrid(let grid):
      "the regularisation grid \(grid) must hold positive finite values"
    }
  }
}
