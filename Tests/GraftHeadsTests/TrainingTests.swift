import GraftHeads
import Testing

/// Fits are the same bits whatever the thread count, for every head and for the CV driver.
@Test(arguments: ["logistic", "svm", "ridge"])
func fitsAreBitIdenticalAcrossThreadCounts(head: String) throws {
  let fixture = try HeadsFixture()
  let trainer: any HeadTrainer =
    switch head {
    case "logistic": LogisticRegression()
    case "svm": LinearSVM()
    default: RidgeClassifier()
    }
  func train(threads: Int) throws -> (FittedHead, TrainingReport) {
    try HeadTraining.train(
      trainer: trainer, data: fixture.training, grid: [0.01, 1], folds: 3,
      options: HeadFitOptions(threads: threads), classWeighting: .balanced)
  }
  let (single, singleReport) = try train(threads: 1)
  let (several, severalReport) = try train(threads: 3)
  #expect(single.layers == several.layers && single.temperature == several.temperature)
  #expect(singleReport.foldAccuracies == severalReport.foldAccuracies)
}

/// SVM and ridge scores get a fitted temperature; the report records every fit.
@Test func calibratedHeadsReportEveryFit() throws {
  let fixture = try HeadsFixture()
  let (head, report) = try HeadTraining.train(
    trainer: RidgeClassifier(), data: fixture.training, grid: [0.01, 0.1, 1], folds: 4)
  #expect(report.head == "RidgeClassifier" && report.converged)
  #expect(report.fits.count == 3 * 4 + 1 && report.fits.last?.fold == nil)
  #expect(report.foldAccuracies.count == 3 && report.foldAccuracies.allSatisfy { $0.count == 4 })
  #expect(head.temperature > 0 && head.temperature != 1)
  #expect(report.trainAccuracy > 0.7)
}

/// A fit stopped by its iteration budget is reported as not converged.
@Test func iterationBudgetIsReported() throws {
  let fixture = try HeadsFixture()
  let (_, report) = try HeadTraining.train(
    trainer: LogisticRegression(), data: fixture.training, grid: [10], folds: 2,
    options: HeadFitOptions(maxIterations: 3, tolerance: 1e-8))
  #expect(!report.converged)
  #expect(report.fits.allSatisfy { !$0.converged && $0.iterations == 3 })
}

/// Sets a head cannot be cross-validated on are refused with the reason.
@Test func unusableSetsAreRefused() throws {
  func set(_ labels: [Int32], classes: Int) -> TrainingSet {
    TrainingSet(
      features: labels.map { Float($0) }, rows: labels.count, columns: 1, labels: labels,
      classCount: classes)
  }
  #expect(throws: HeadTrainingError.noRows) {
    try HeadTraining.train(trainer: RidgeClassifier(), data: set([], classes: 2))
  }
  #expect(throws: HeadTrainingError.singleClass(classesWithRows: 1)) {
    try HeadTraining.train(trainer: RidgeClassifier(), data: set([1, 1, 1], classes: 2))
  }
  #expect(throws: HeadTrainingError.tooFewRows(classIndex: 1, rows: 2, folds: 3)) {
    try HeadTraining.train(
      trainer: RidgeClassifier(), data: set([0, 0, 0, 1, 1], classes: 2), folds: 3)
  }
  #expect(throws: HeadTrainingError.badGrid([0.1, 0])) {
    try HeadTraining.train(
      trainer: RidgeClassifier(), data: set([0, 0, 1, 1], classes: 2), grid: [0.1, 0], folds: 2)
  }
}
