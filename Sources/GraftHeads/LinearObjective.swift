import GraftRuntime

/// A loss on one row's class scores: its value, and its derivative with respect to each score.
protocol RowLoss: Sendable {
  /// Returns the row's loss and overwrites `scores[0..<classes]` with `∂loss/∂score`.
  func evaluate(_ scores: UnsafeMutablePointer<Float>, classes: Int, label: Int) -> Double
}

/// The regularised empirical risk of a linear head `scores = x·Wᵀ + b`, with its gradient.
///
/// Objective, scaled as scikit-learn's `LinearModelLoss` (so tolerances mean the same):
///
///     f(W, b) = (1/Σs) · [ Σ_i s_i · loss(x_i·Wᵀ + b, y_i) + (‖W‖² (+ ‖b‖²)) / (2C) ]
///
/// with `s_i` the row's class weight. Its minimiser is that of `C·Σ s_i·loss_i + ½‖W‖²`.
/// The intercept is penalised only when `penalizeIntercept` (LinearSVC's intercept_scaling 1).
///
/// Parameters are `[W row-major [classes][columns], b [classes]]` in double; products run in
/// float32 through BLAS: scores over fixed row blocks, `∂f/∂W = Gᵀ·X` over fixed column blocks
/// (each a single call over all rows), per-block sums added in block order, so the value and
/// gradient are the same bits for any thread count.
final class LinearObjective<Loss: RowLoss>: @unchecked Sendable {
  let rows: Int
  let columns: Int
  let classes: Int
  let c: Double
  let penalizeIntercept: Bool
  let loss: Loss
  private let features: SharedBuffer<Float>
  private let labels: [Int32]
  private let rowWeights: [Double]
  private let weightSum: Double
  private let pool: ThreadPool
  private let rowBlocks: [Range<Int>]
  private let columnBlocks: [Range<Int>]
  private let scores: SharedBuffer<Float>
  private let weights: SharedBuffer<Float>
  private let gradient: SharedBuffer<Float>
  private let blockLoss: SharedBuffer<Double>
  private let blockBias: SharedBuffer<Double>

  init(
    data: TrainingSet, c: Double, options: HeadFitOptions, loss: Loss, penalizeIntercept: Bool
  ) {
    rows = data.rows
    columns = data.columns
    classes = data.classCount
    self.c = c
    self.penalizeIntercept = penalizeIntercept
    self.loss = loss
    features = SharedBuffer(data.features)
    labels = data.labels
    rowWeights = data.labels.map { Double(options.classWeights?[Int($0)] ?? 1) }
    weightSum = rowWeights.reduce(0, +)
    pool = ThreadPool(threads: max(options.threads, 1))
    rowBlocks = Blocks.ranges(rows, size: Blocks.rows)
    columnBlocks = Blocks.ranges(columns, size: Blocks.columns)
    scores = SharedBuffer(repeating: 0, count: rows * classes)
    weights = SharedBuffer(repeating: 0, count: classes * columns)
    gradient = SharedBuffer(repeating: 0, count: classes * columns)
    blockLoss = SharedBuffer(repeating: 0, count: rowBlocks.count)
    blockBias = SharedBuffer(repeating: 0, count: rowBlocks.count * classes)
    BLAS.useCallingThreadOnly()
  }

  /// A bound on the relative error of `evaluate`'s value: scores are float32 products (a few
  /// ulps of 2⁻²⁴ each) whose per-row losses are summed in double.
  var relativeNoise: Double { 1e-6 }

  var parameterCount: Int { classes * (columns + 1) }

  /// `f(x)`, writing `∇f(x)` into `grad`.
  func evaluate(_ x: [Double], gradient grad: inout [Double]) -> Double {
    let (classes, columns) = (self.classes, self.columns)
    for index in 0..<(classes * columns) { weights[index] = Float(x[index]) }
    let bias = (0..<classes).map { Float(x[classes * columns + $0]) }
    let inverseSum = 1 / weightSum
    pool.parallelFor(rowBlocks.count) { chunk in
      for block in chunk { self.forward(block: block, bias: bias, inverseSum: inverseSum) }
    }
    pool.parallelFor(columnBlocks.count) { chunk in
      for block in chunk {
        let span = self.columnBlocks[block]
        BLAS.sgemm(
          m: classes, n: span.count, k: self.rows, a: self.scores.base, lda: classes,
          transposeA: true, b: self.features.base + span.lowerBound, ldb: columns,
          c: self.gradient.base + span.lowerBound, ldc: columns)
      }
    }
    var value = 0.0
    var biasGradient = [Double](repeating: 0, count: classes)
    for block in 0..<rowBlocks.count {
      value += blockLoss[block]
      for k in 0..<classes { biasGradient[k] += blockBias[block * classes + k] }
    }
    value *= inverseSum
    let penalty = inverseSum / c
    var squares = 0.0
    for index in 0..<(classes * columns) {
      squares += x[index] * x[index]
      grad[index] = Double(gradient[index]) + penalty * x[index]
    }
    for k in 0..<classes {
      let b = x[classes * columns + k]
      grad[classes * columns + k] = biasGradient[k] + (penalizeIntercept ? penalty * b : 0)
      if penalizeIntercept { squares += b * b }
    }
    return value + 0.5 * penalty * squares
  }

  /// Scores, losses and `∂f/∂scores` (weighted, scaled by `1/Σs`) of one block of rows.
  private func forward(block: Int, bias: [Float], inverseSum: Double) {
    let span = rowBlocks[block]
    let out = scores.base + span.lowerBound * classes
    BLAS.sgemm(
      m: span.count, n: classes, k: columns, a: features.base + span.lowerBound * columns,
      b: weights.base, transposeB: true, c: out)
    var total = 0.0
    var biasSum = [Double](repeating: 0, count: classes)
    for row in span {
      let scoresOfRow = scores.base + row * classes
      for k in 0..<classes { scoresOfRow[k] += bias[k] }
      let weight = rowWeights[row]
      total += weight * loss.evaluate(scoresOfRow, classes: classes, label: Int(labels[row]))
      let factor = Float(weight * inverseSum)
      for k in 0..<classes {
        scoresOfRow[k] *= factor
        biasSum[k] += Double(scoresOfRow[k])
      }
    }
    blockLoss[block] = total
    for k in 0..<classes { blockBias[block * classes + k] = biasSum[k] }
  }

  /// The parameter vector of a one-layer fit (zeros when nil).
  func parameters(of fit: HeadFit?) -> [Double] {
    guard let layer = fit?.layers.first, fit?.layers.count == 1, layer.inputs == columns,
      layer.outputs == classes
    else { return [Double](repeating: 0, count: parameterCount) }
    return layer.weights.map(Double.init) + layer.bias.map(Double.init)
  }

  /// The one-layer fit of parameter vector `x`.
  func layer(_ x: [Double]) -> FittedHead.Dense {
    FittedHead.Dense(
      weights: x[0..<(classes * columns)].map { Float($0) },
      bias: x[(classes * columns)...].map { Float($0) }, inputs: columns, outputs: classes)
  }
}

/// Minimises the `LinearObjective` of `loss` with `LBFGS`, from `warmStart` or zeros.
func fitLinearHead(
  _ data: TrainingSet, c: Double, options: HeadFitOptions, warmStart: HeadFit?,
  loss: some RowLoss, penalizeIntercept: Bool
) -> HeadFit {
  let objective = LinearObjective(
    data: data, c: c, options: options, loss: loss, penalizeIntercept: penalizeIntercept)
  let solver = LBFGS(
    maxIterations: options.maxIterations, tolerance: options.tolerance,
    relativeNoise: objective.relativeNoise)
  let result = solver.minimize(from: objective.parameters(of: warmStart)) {
    objective.evaluate($0, gradient: &$1)
  }
  return HeadFit(
    layers: [objective.layer(result.x)], converged: result.converged,
    iterations: result.iterations)
}
