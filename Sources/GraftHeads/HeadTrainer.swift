/// Options every head's fit takes.
public struct HeadFitOptions: Sendable {
  /// Per-class multipliers of each row's loss (`--class-weight balanced`:
  /// `rows / (classes · rows of the class)`); nil weighs every row 1.
  public var classWeights: [Float]?
  /// Seeds every random choice (MLP initialisation, shuffling, validation split).
  public var seed: UInt64
  public var maxIterations: Int
  /// The solver's convergence tolerance (its meaning is the solver's; see each head).
  public var tolerance: Double
  /// Threads for the fit; results are bit-identical whatever the count.
  public var threads: Int

  public init(
    classWeights: [Float]? = nil, seed: UInt64 = 0, maxIterations: Int = 1000,
    tolerance: Double = 1e-4, threads: Int = 1
  ) {
    self.classWeights = classWeights
    self.seed = seed
    self.maxIterations = maxIterations
    self.tolerance = tolerance
    self.threads = threads
  }
}

/// What one fit produced: layers that map standardised features to class scores.
public struct HeadFit: Sendable {
  public var layers: [FittedHead.Dense]
  public var converged: Bool
  public var iterations: Int

  public init(layers: [FittedHead.Dense], converged: Bool, iterations: Int) {
    self.layers = layers
    self.converged = converged
    self.iterations = iterations
  }
}

/// A kind of head: fits class scores on standardised features for one regularisation value `c`.
///
/// `c` is the inverse regularisation strength as scikit-learn means it for the head's
/// counterpart (LogisticRegression's and LinearSVC's `C`; each head documents its mapping).
public protocol HeadTrainer: Sendable {
  /// Fits on `data` (features already standardised), starting from `warmStart` when given (a
  /// fit of the same data for a neighbouring `c`).
  func fit(_ data: TrainingSet, c: Double, options: HeadFitOptions, warmStart: HeadFit?) throws
    -> HeadFit
  /// Whether the scores must be calibrated (a fitted softmax temperature) to be probabilities.
  var needsCalibration: Bool { get }
  /// The fits of one training set over a grid of `c`, which may keep what the fits of one set
  /// share (see `HeadFitSession`).
  func session(for data: TrainingSet, options: HeadFitOptions) -> any HeadFitSession
}

/// Fits of one training set for one value of `c` after another, as `HeadTraining` runs a fold's
/// grid.
public protocol HeadFitSession {
  /// Fits for `c`, from `warmStart` when given (the previous fit of this session, or a fit of
  /// other data).
  func fit(c: Double, warmStart: HeadFit?) throws -> HeadFit
}

extension HeadTrainer {
  /// A session that fits each `c` afresh with `fit`.
  public func session(for data: TrainingSet, options: HeadFitOptions) -> any HeadFitSession {
    IndependentFits(trainer: self, data: data, options: options)
  }
}

/// Fits that share nothing: each one is `trainer.fit`.
private struct IndependentFits<Trainer: HeadTrainer>: HeadFitSession {
  let trainer: Trainer
  let data: TrainingSet
  let options: HeadFitOptions

  func fit(c: Double, warmStart: HeadFit?) throws -> HeadFit {
    try trainer.fit(data, c: c, options: options, warmStart: warmStart)
  }
}
