/// Rows of features with their class labels: what a head is trained and scored on.
///
/// Layout: `features` is row-major `[rows][columns]` float32; `labels[i]` is row i's class in
/// `0..<classCount`.
public struct TrainingSet: Sendable {
  public var features: [Float]
  public var rows: Int
  public var columns: Int
  public var labels: [Int32]
  public var classCount: Int

  public init(features: [Float], rows: Int, columns: Int, labels: [Int32], classCount: Int) {
    precondition(features.count == rows * columns && labels.count == rows)
    precondition(labels.allSatisfy { $0 >= 0 && Int($0) < classCount })
    self.features = features
    self.rows = rows
    self.columns = columns
    self.labels = labels
    self.classCount = classCount
  }

  /// The rows at `indices`, in that order.
  public func subset(_ indices: [Int]) -> TrainingSet {
    let columns = columns
    let selected = features.withUnsafeBufferPointer { features in
      [Float](unsafeUninitializedCapacity: indices.count * columns) { selected, count in
        for (row, index) in indices.enumerated() {
          (selected.baseAddress! + row * columns).initialize(
            from: features.baseAddress! + index * columns, count: columns)
        }
        count = indices.count * columns
      }
    }
    return TrainingSet(
      features: selected, rows: indices.count, columns: columns,
      labels: indices.map { labels[$0] }, classCount: classCount)
  }

  /// Rows per class.
  public var classCounts: [Int] {
    var counts = [Int](repeating: 0, count: classCount)
    for label in labels { counts[Int(label)] += 1 }
    return counts
  }
}
