import GraftHeads
import Testing

/// A subset keeps the chosen rows in the given order, with their labels.
@Test func subsetKeepsRowsAndLabels() {
  let data = TrainingSet(
    features: [0, 1, 10, 11, 20, 21], rows: 3, columns: 2, labels: [0, 1, 1], classCount: 2)
  let subset = data.subset([2, 0])
  #expect(subset.features == [20, 21, 0, 1] && subset.labels == [1, 0])
  #expect(data.classCounts == [1, 2])
}
