import GraftIR

/// A seeded stratified split of the rows into training and validation rows (the MLP's early
/// stopping, `train-head --val-split`).
///
/// The validation set has `ceil(fraction · rows)` rows, as scikit-learn's `train_test_split`.
/// Each class gives `floor(count · size / rows)` of them; the rows still missing come from the
/// classes with the largest remainders (the lower class first on ties), as scikit-learn's
/// stratified split allots them. No class gives all its rows, so every class is trained on.
/// Which rows of a class are held out is drawn from `rng`. Both lists are in ascending order.
public struct StratifiedSplit: Sendable {
  public var training: [Int] = []
  public var validation: [Int] = []

  public init(labels: [Int32], classCount: Int, fraction: Double, rng: inout SplitMix64) {
    let rows = labels.count
    guard rows > 0 else { return }
    let size = min(rows, Int((fraction * Double(rows)).rounded(.up)))
    var members = [[Int]](repeating: [], count: classCount)
    for (row, label) in labels.enumerated() { members[Int(label)].append(row) }
    let counts = members.map(\.count)
    var shares = counts.map { min($0 * size / rows, max($0 - 1, 0)) }
    let byRemainder = (0..<classCount).sorted {
      let (left, right) = (counts[$0] * size % rows, counts[$1] * size % rows)
      return left != right ? left > right : $0 < $1
    }
    var missing = size - shares.reduce(0, +)
    for label in byRemainder where missing > 0 && shares[label] < counts[label] - 1 {
      shares[label] += 1
      missing -= 1
    }
    for label in 0..<classCount {
      var rowsOfClass = members[label]
      SeededRandom.shuffle(&rowsOfClass, &rng)
      validation += rowsOfClass.prefix(shares[label])
      training += rowsOfClass.dropFirst(shares[label])
    }
    validation.sort()
    training.sort()
  }
}
