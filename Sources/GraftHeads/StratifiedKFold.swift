/// Fold assignment exactly as scikit-learn's `StratifiedKFold(n_splits, shuffle=False)`.
///
/// Classes are ranked by first appearance in `labels`; the rows sorted by that rank are dealt
/// round-robin to the folds to decide how many rows of each class each fold gets; then each
/// class's rows, in their original order, fill fold 0's share first, then fold 1's, and so on
/// (sklearn's `_make_test_folds`). Each row is in exactly one test fold.
public enum StratifiedKFold {
  /// The test fold (`0..<folds`) of every row.
  public static func assign(labels: [Int32], folds: Int) -> [Int] {
    precondition(folds >= 1)
    var rank: [Int32: Int] = [:]
    for label in labels where rank[label] == nil { rank[label] = rank.count }
    let encoded = labels.map { rank[$0]! }
    var counts = [Int](repeating: 0, count: rank.count)
    for code in encoded { counts[code] += 1 }
    // allocation[fold][class]: rows of the class among sorted positions fold, fold + folds, ...
    var allocation = [[Int]](
      repeating: [Int](repeating: 0, count: rank.count), count: folds)
    var position = 0
    for (code, count) in counts.enumerated() {
      for _ in 0..<count {
        allocation[position % folds][code] += 1
        position += 1
      }
    }
    var assignment = [Int](repeating: 0, count: labels.count)
    var fold = [Int](repeating: 0, count: rank.count)
    var filled = [Int](repeating: 0, count: rank.count)
    for (row, code) in encoded.enumerated() {
      while filled[code] == allocation[fold[code]][code] {
        fold[code] += 1
        filled[code] = 0
      }
      assignment[row] = fold[code]
      filled[code] += 1
    }
    return assignment
  }
}
