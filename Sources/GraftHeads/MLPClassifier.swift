import GraftIR
import GraftRuntime

/// A small multilayer perceptron head: one or two ReLU hidden layers and a softmax output,
/// trained like scikit-learn's `MLPClassifier` with the Adam solver.
///
/// - Regularisation: `c` is the inverse of scikit-learn's L2 penalty, `alpha = 1 / c`; the
///   minibatch loss is `(Σ_i w_i · crossEntropy_i + alpha/2 · Σ ‖W‖²) / rows` (biases are not
///   penalised), with `w_i` the class weight of row i's class (1 without class weights); it is
///   divided by the rows, not by the weights' sum, so `alpha` means the same either way.
/// - Solver: Adam with scikit-learn's constants (`learningRate` 1e-3, β 0.9 / 0.999, ε 1e-8) on
///   minibatches of `batchSize` rows (all rows when fewer), reshuffled every epoch.
/// - Initialisation: Glorot uniform for weights and biases, as scikit-learn does for ReLU.
/// - Stopping, as scikit-learn's `early_stopping=True`: a stratified `validationFraction` of
///   the rows is held out; after each epoch its accuracy (unweighted, whatever the class
///   weights) is measured, an epoch that does not beat the best so far by `options.tolerance`
///   counts as no improvement, and training stops once more than `iterationsWithoutChange` such
///   epochs follow each other. The weights of the first epoch with the best validation accuracy
///   are returned. Without early stopping (or when the data are too few to hold rows out), the
///   epoch's training loss must fall by `options.tolerance` instead, and the last weights are
///   returned.
/// - `HeadFit.converged` is false when `options.maxIterations` epochs ran without the stopping
///   rule firing; `iterations` counts epochs.
/// - Binary problems get two softmax outputs (scikit-learn uses one logistic output; the two
///   model the same probabilities).
///
/// Every random choice (initialisation, validation rows, shuffles) comes from `options.seed`,
/// and matrix products are split across `options.threads` without splitting any sum, so a seed
/// gives bit-identical weights for any thread count. A warm start is ignored: the MLP's
/// objective is not convex, so starting from a neighbouring `c`'s weights would make the result
/// depend on the order of the regularisation sweep.
public struct MLPClassifier: HeadTrainer {
  /// Units per hidden layer (one or two layers).
  public var hiddenLayers: [Int]
  public var batchSize: Int
  public var learningRate: Double
  public var earlyStopping: Bool
  public var validationFraction: Double
  /// scikit-learn's `n_iter_no_change`.
  public var iterationsWithoutChange: Int

  public init(
    hiddenLayers: [Int] = [256], batchSize: Int = 200, learningRate: Double = 1e-3,
    earlyStopping: Bool = true, validationFraction: Double = 0.1, iterationsWithoutChange: Int = 10
  ) {
    precondition((1...2).contains(hiddenLayers.count) && hiddenLayers.allSatisfy { $0 > 0 })
    precondition(batchSize > 0 && learningRate > 0 && iterationsWithoutChange >= 0)
    precondition(validationFraction > 0 && validationFraction < 1)
    self.hiddenLayers = hiddenLayers
    self.batchSize = batchSize
    self.learningRate = learningRate
    self.earlyStopping = earlyStopping
    self.validationFraction = validationFraction
    self.iterationsWithoutChange = iterationsWithoutChange
  }

  public var needsCalibration: Bool { false }

  public func fit(_ data: TrainingSet, c: Double, options: HeadFitOptions, warmStart: HeadFit?)
    throws -> HeadFit
  {
    try train(data, c: c, options: options).fit
  }

  /// Fits like `fit` and also returns the per-epoch history.
  ///
  /// - Throws: `MLPTrainingError.nonFiniteLoss` when the loss stops being a finite number
  ///   (non-finite features, or a divergent fit).
  public func train(_ data: TrainingSet, c: Double, options: HeadFitOptions) throws
    -> MLPTrainingReport
  {
    precondition(data.rows > 0 && c > 0 && c.isFinite && options.maxIterations > 0)
    precondition(options.classWeights.map { $0.count == data.classCount } ?? true)
    BLAS.useCallingThreadOnly()
    var rng = SplitMix64(seed: options.seed)
    let network = MLPNetwork(
      sizes: [data.columns] + hiddenLayers + [data.classCount],
      capacity: min(batchSize, data.rows), threads: options.threads, rng: &rng)
    var order = Array(0..<data.rows)
    var validation: [Int] = []
    if earlyStopping {
      let split = StratifiedSplit(
        labels: data.labels, classCount: data.classCount, fraction: validationFraction, rng: &rng)
      if !split.validation.isEmpty && !split.training.isEmpty {
        (order, validation) = (split.training, split.validation)
      }
    }
    let validating = !validation.isEmpty
    let validationSet = data.subset(validation)
    let rowsPerBatch = min(batchSize, order.count)
    var stopping = StoppingRule(tolerance: options.tolerance, patience: iterationsWithoutChange)
    let best = SharedBuffer<Float>(repeating: 0, count: network.parameters.count)
    var adam = AdamOptimizer(parameterCount: network.parameters.count, learningRate: learningRate)
    var report = MLPTrainingReport()
    for epoch in 1...options.maxIterations {
      SeededRandom.shuffle(&order, &rng)
      var loss = 0.0
      for start in stride(from: 0, to: order.count, by: rowsPerBatch) {
        let rows = order[start..<min(start + rowsPerBatch, order.count)]
        network.load(data, rows: rows)
        let labels = rows.map { data.labels[$0] }
        let batchLoss = network.lossAndGradients(
          rows: rows.count, labels: labels,
          rowWeights: labels.map { options.classWeights?[Int($0)] ?? 1 }, alpha: 1 / c)
        adam.update(network.parameters, gradients: network.gradients)
        loss += batchLoss * Double(rows.count) / Double(order.count)
      }
      guard loss.isFinite else { throw MLPTrainingError.nonFiniteLoss(epoch: epoch) }
      report.losses.append(loss)
      report.iterations = epoch
      if validating {
        let scores = HeadFit(layers: network.layers, converged: false, iterations: epoch)
          .scores(validationSet, threads: options.threads)
        let score = accuracy(
          scores: scores, labels: validationSet.labels, classes: data.classCount)
        report.validationAccuracies.append(score)
        if stopping.record(score) {
          best.base.update(from: network.parameters.base, count: best.count)
          report.bestEpoch = epoch
        }
      } else {
        _ = stopping.record(-loss)
        report.bestEpoch = epoch
      }
      if stopping.exhausted {
        report.converged = true
        break
      }
    }
    if validating { network.parameters.base.update(from: best.base, count: best.count) }
    report.layers = network.layers
    return report
  }
}

/// What `MLPClassifier.train` did, epoch by epoch.
public struct MLPTrainingReport: Sendable {
  /// The returned weights.
  public var layers: [FittedHead.Dense] = []
  public var converged = false
  /// Epochs run.
  public var iterations = 0
  /// The epoch (from 1) whose weights were returned.
  public var bestEpoch = 0
  /// Mean training loss of each epoch (the minibatch losses weighted by their rows).
  public var losses: [Double] = []
  /// Accuracy on the held-out rows after each epoch; empty without early stopping.
  public var validationAccuracies: [Double] = []

  public var fit: HeadFit { HeadFit(layers: layers, converged: converged, iterations: iterations) }
}

public enum MLPTrainingError: Error, CustomStringConvertible {
  case nonFiniteLoss(epoch: Int)

  public var description: String {
    switch self {
    case .nonFiniteLoss(let epoch):
      "MLP head: the training loss is not finite at epoch \(epoch) (non-finite features?)"
    }
  }
}

/// scikit-learn's `_update_no_improvement_count` on a score to maximise (validation accuracy,
/// or the negated training loss).
private struct StoppingRule {
  let tolerance: Double
  let patience: Int
  var best = -Double.infinity
  var epochsWithoutImprovement = 0

  /// Records one epoch's score; returns whether it is a new best.
  mutating func record(_ score: Double) -> Bool {
    epochsWithoutImprovement = score < best + tolerance ? epochsWithoutImprovement + 1 : 0
    guard score > best else { return false }
    best = score
    return true
  }

  var exhausted: Bool { epochsWithoutImprovement > patience }
}
