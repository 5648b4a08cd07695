import GraftHeads
import Testing

/// The folds are scikit-learn's StratifiedKFold(5) folds, row for row.
@Test func stratifiedFoldsMatchScikitLearn() throws {
  let fixture = try HeadsFixture()
  let expected = try HeadsFixture.array("folds").values.map { Int($0) }
  #expect(StratifiedKFold.assign(labels: fixture.training.labels, folds: 5) == expected)
}

/// Classes are ranked by first appearance and each class fills folds in row order.
@Test func stratifiedFoldsFillInRowOrder() {
  // Sorted by first appearance: 1 1 1 0 0 → allocation per fold: fold 0 {1: 1, 0: 1}, fold 1
  // {1: 1, 0: 1}, fold 2 {1: 1}.
  #expect(StratifiedKFold.assign(labels: [1, 0, 1, 0, 1], folds: 3) == [0, 0, 1, 1, 2])
}

/// Mean and population standard deviation match StandardScaler's.
@Test func standardizerMatchesScikitLearn() throws {
  let fixture = try HeadsFixture()
  let scaler = Standardizer(fitting: fixture.training)
  let mean = try HeadsFixture.array("standard_mean").values
  let scale = try HeadsFixture.array("standard_scale").values
  #expect(relativeError(scaler.mean.map(Double.init), mean) < 1e-6)
  #expect(relativeError(scaler.scale.map(Double.init), scale) < 1e-6)
}

/// A constant feature keeps scale 1, so it standardises to 0 rather than dividing by 0.
@Test func constantFeatureKeepsUnitScale() {
  let data = TrainingSet(
    features: [3, 1, 3, 2, 3, 6], rows: 3, columns: 2, labels: [0, 1, 0], classCount: 2)
  let scaler = Standardizer(fitting: data)
  #expect(scaler.mean == [3, 3] && scaler.scale[0] == 1)
  #expect(abs(scaler.scale[1] - Float((14.0 / 3).squareRoot())) < 1e-6)
  #expect(scaler.apply(to: data).features[0] == 0)
}

/// Balanced weights are rows / (classes present · rows of the class), as sklearn's.
@Test func balancedClassWeights() {
  #expect(ClassWeighting.balanced.weights(classCounts: [6, 2, 0, 4]) == [Float(2) / 3, 2, 0, 1])
  #expect(ClassWeighting.uniform.weights(classCounts: [6, 2]) == nil)
}
