/// What `HeadTraining.train` did: the cross-validation scores, the chosen regularisation and
/// every fit's convergence.
public struct TrainingReport: Sendable, Codable, Equatable {
  /// One solver run.
  public struct Fit: Sendable, Codable, Equatable {
    public var c: Double
    /// The held-out fold, nil for the final refit on all rows.
    public var fold: Int?
    public var iterations: Int
    public var converged: Bool
  }

  /// The trainer's type name (`LogisticRegression`, `LinearSVM`, `RidgeClassifier`, …).
  public var head: String
  public var grid: [Double]
  public var folds: Int
  /// Held-out accuracy, `[grid index][fold]`.
  public var foldAccuracies: [[Double]]
  /// Mean held-out accuracy per grid value.
  public var meanAccuracies: [Double]
  public var chosenC: Double
  /// Accuracy of the final head on the rows it was fitted on.
  public var trainAccuracy: Double
  /// The fitted softmax temperature (1 for heads whose scores are already logits).
  public var temperature: Double
  public var classWeighting: ClassWeighting
  public var standardized: Bool
  public var fits: [Fit]
  public var seconds: Double

  /// Whether every fit, in the folds and the refit, met its convergence test.
  public var converged: Bool { fits.allSatisfy(\.converged) }
}
