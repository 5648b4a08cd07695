import Foundation

/// Cross-validated training of a head: choose the regularisation on stratified folds, refit on
/// every row, calibrate the probabilities.
public enum HeadTraining {
  /// The default grid of `C`: 10⁻³ … 10² by decades (6 values, weakest regularisation last).
  public static let defaultGrid: [Double] = [1e-3, 1e-2, 1e-1, 1, 10, 100]

  /// Trains `trainer` on `data`, choosing `C` from `grid` by `folds`-fold cross-validation.
  ///
  /// Folds are `StratifiedKFold`'s (scikit-learn's, unshuffled). In each fold the features are
  /// standardised on the fold's training rows, then `C` is fitted in grid order, each fit
  /// starting from the previous one (the fold's first from the previous fold's fit at that
  /// `C`), and scored by accuracy on the held-out rows. A start only changes where the solver
  /// begins: every fit runs to the same convergence test on its own fold's objective. The `C` of
  /// best mean accuracy wins (the first in grid order on ties, as GridSearchCV); the head is
  /// refitted at it on all rows (standardised on all rows), starting from the last fold's fit.
  /// For trainers that need calibration, the temperature is fitted on the held-out scores of
  /// the chosen `C` across all folds. `options.classWeights` is replaced on every fit by
  /// `classWeighting`'s weights for the rows that fit sees.
  ///
  /// - Throws: `HeadTrainingError` for an empty set, a single class, a class with fewer rows
  ///   than folds (every class must be in every fold), fewer than 2 folds or a bad grid;
  ///   whatever the trainer throws.
  public static func train(
    trainer: some HeadTrainer, data: TrainingSet, grid: [Double] = defaultGrid, folds: Int = 5,
    options: HeadFitOptions = HeadFitOptions(), classWeighting: ClassWeighting = .uniform,
    standardize: Bool = true
  ) throws -> (head: FittedHead, report: TrainingReport) {
    let start = ContinuousClock.now
    try validate(data: data, grid: grid, folds: folds)
    let assignment = StratifiedKFold.assign(labels: data.labels, folds: folds)
    let classes = data.classCount
    var accuracies = [[Double]](repeating: [], count: grid.count)
    var heldOutScores = [[Float]](
      repeating: trainer.needsCalibration ? [Float](repeating: 0, count: data.rows * classes) : [],
      count: grid.count)
    var fits: [TrainingReport.Fit] = []
    var lastFoldFits: [HeadFit] = []
    for fold in 0..<folds {
      let trainRows = (0..<data.rows).filter { assignment[$0] != fold }
      let testRows = (0..<data.rows).filter { assignment[$0] == fold }
      let (training, scaler) = prepared(data.subset(trainRows), standardize: standardize)
      let test = scaler.apply(to: data.subset(testRows))
      var fitOptions = options
      fitOptions.classWeights = classWeighting.weights(classCounts: training.classCounts)
      // The first C starts from the previous fold's fit at that C, the others from the fit
      // at the C before them.
      var previous = lastFoldFits.first
      lastFoldFits = []
      let session = trainer.session(for: training, options: fitOptions)
      for (index, c) in grid.enumerated() {
        let fit = try session.fit(c: c, warmStart: previous)
        fits.append(.init(c: c, fold: fold, iterations: fit.iterations, converged: fit.converged))
        let scores = fit.scores(test, threads: options.threads)
        accuracies[index].append(accuracy(scores: scores, labels: test.labels, classes: classes))
        if trainer.needsCalibration {
          for (position, row) in testRows.enumerated() {
            for k in 0..<classes {
              heldOutScores[index][row * classes + k] = scores[position * classes + k]
            }
          }
        }
        previous = fit
        lastFoldFits.append(fit)
      }
    }
    let means = accuracies.map { $0.reduce(0, +) / Double(folds) }
    let best = means.indices.max { means[$0] < means[$1] || (means[$0] == means[$1] && $0 > $1) }!
    let (all, scaler) = prepared(data, standardize: standardize)
    var fitOptions = options
    fitOptions.classWeights = classWeighting.weights(classCounts: data.classCounts)
    let final = try trainer.fit(
      all, c: grid[best], options: fitOptions, warmStart: lastFoldFits[best])
    fits.append(
      .init(
        c: grid[best], fold: nil, iterations: final.iterations,
        converged: final.converged))
    let temperature =
      trainer.needsCalibration
      ? TemperatureCalibration.fit(
        scores: heldOutScores[best], labels: data.labels,
        classes: classes) : 1
    let trainAccuracy = accuracy(
      scores: final.scores(all, threads: options.threads), labels: all.labels, classes: classes)
    let head = FittedHead(
      mean: scaler.mean, scale: scaler.scale, layers: final.layers,
      temperature: Float(temperature))
    let elapsed = ContinuousClock.now - start
    let report = TrainingReport(
      head: String(describing: type(of: trainer)), grid: grid, folds: folds,
      foldAccuracies: accuracies, meanAccuracies: means, chosenC: grid[best],
      trainAccuracy: trainAccuracy, temperature: temperature, classWeighting: classWeighting,
      standardized: standardize, fits: fits,
      seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    return (head, report)
  }

  /// `data` standardised on itself (or unchanged), with the transform used.
  private static func prepared(_ data: TrainingSet, standardize: Bool) -> (
    TrainingSet, Standardizer
  ) {
    guard standardize else { return (data, Standardizer(identityOn: data.columns)) }
    let scaler = Standardizer(fitting: data)
    return (scaler.apply(to: data), scaler)
  }

  private static func validate(data: TrainingSet, grid: [Double], folds: Int) throws {
    guard data.rows > 0 else { throw HeadTrainingError.noRows }
    guard folds >= 2 else { throw HeadTrainingError.badFoldCount(folds) }
    guard !grid.isEmpty, grid.allSatisfy({ $0 > 0 && $0.isFinite }) else {
      throw HeadTrainingError.badGrid(grid)
    }
    let counts = data.classCounts
    let present = counts.filter { $0 > 0 }.count
    guard present >= 2 else { throw HeadTrainingError.singleClass(classesWithRows: present) }
    if let small = counts.indices.first(where: { counts[$0] < folds }) {
      throw HeadTrainingError.tooFewRows(classIndex: small, rows: counts[small], folds: folds)
    }
  }
}
