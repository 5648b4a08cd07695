internal import CGraftKernels
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
/// float32 through CGraftKernels' `graft_linear_scores` (`X·Wᵀ`, rows split between threads)
/// and `graft_linear_gradient` (`∂f/∂W = Gᵀ·X`, columns split between threads), which read X
/// where it lies instead of packing it again on every product as BLAS does. Each element of
/// either product is the same bits however its rows or columns are split, and the per-block
/// sums of the loss are added in block order, so the value and gradient are the same bits for
/// any thread count.
///
/// Along a line `x + α·d` the scores are `X·Wᵀ + α·X·Dᵀ + b + α·d_b`: one product `X·Dᵀ` per
/// line, after which each step the line search tries costs no product, and the gradient's
/// product `Gᵀ·X` is computed only at the accepted step, whose scores become the new base.
final class LinearObjective<Loss: RowLoss>: LineObjective, @unchecked Sendable {
  let rows: Int
  let columns: Int
  let classes: Int
  /// Set between fits of a grid; the products at the current point do not depend on it.
  var c: Double
  let penalizeIntercept: Bool
  let loss: Loss
  private let features: SharedBuffer<Float>
  private let labels: [Int32]
  private let rowWeights: [Double]
  private let inverseSum: Double
  private let pool: ThreadPool
  private let rowBlocks: [Range<Int>]
  /// Rows of the scores product: whole row panels, as `graft_linear_scores` needs to give the
  /// same bits however they are split.
  private let productRowBlocks: [Range<Int>]
  /// Rows of `packedDerivative`, one depth chunk each.
  private let depthBlocks: [Range<Int>]
  /// Columns of the gradient product: whole column panels.
  private let columnBlocks: [Range<Int>]
  /// `X·Wᵀ` at the current point, without the bias.
  private let baseScores: SharedBuffer<Float>
  /// `X·Dᵀ` of the current line's direction.
  private let directionScores: SharedBuffer<Float>
  /// `∂f/∂scores` at the last step evaluated (weighted, scaled by `1/Σs`).
  private let derivative: SharedBuffer<Float>
  /// The float32 operand of the row products (`W` or `D`), packed for `graft_linear_scores`.
  private let packedOperand: SharedBuffer<Float>
  /// `derivative` packed for `graft_linear_gradient`.
  private let packedDerivative: SharedBuffer<Float>
  private let gradient: SharedBuffer<Float>
  private let blockLoss: SharedBuffer<Double>
  private let blockBias: SharedBuffer<Double>
  private let blockSlope: SharedBuffer<Double>
  private var point: [Double] = []
  private var direction: [Double] = []
  /// The step of `derivative`, and the penalty's terms along the line: `‖x‖²`, `xᵀd`, `‖d‖²`
  /// over the penalised parameters.
  private var lastStep = Double.nan
  private var penaltyTerms = (xx: 0.0, xd: 0.0, dd: 0.0)

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
    inverseSum = 1 / rowWeights.reduce(0, +)
    pool = ThreadPool(threads: max(options.threads, 1))
    rowBlocks = Blocks.ranges(rows, size: Blocks.rows)
    productRowBlocks = Blocks.ranges(rows, size: 42 * Int(GRAFT_LINEAR_ROW_PANEL))
    depthBlocks = Blocks.ranges(rows, size: Int(GRAFT_LINEAR_DEPTH_CHUNK))
    columnBlocks = Blocks.ranges(columns, size: 4 * Int(GRAFT_LINEAR_COLUMN_PANEL))
    baseScores = SharedBuffer(repeating: 0, count: rows * classes)
    directionScores = SharedBuffer(repeating: 0, count: rows * classes)
    derivative = SharedBuffer(repeating: 0, count: rows * classes)
    packedOperand = SharedBuffer(
      repeating: 0, count: graft_linear_packed_weights_count(classes, columns))
    packedDerivative = SharedBuffer(
      repeating: 0, count: graft_linear_packed_derivative_count(rows, classes))
    gradient = SharedBuffer(repeating: 0, count: classes * columns)
    blockLoss = SharedBuffer(repeating: 0, count: rowBlocks.count)
    blockBias = SharedBuffer(repeating: 0, count: rowBlocks.count * classes)
    blockSlope = SharedBuffer(repeating: 0, count: rowBlocks.count)
  }

  /// A bound on the relative error of `evaluate`'s value: scores are float32 products (a few
  /// ulps of 2⁻²⁴ each) whose per-row losses are summed in double.
  var relativeNoise: Double { 1e-6 }

  var parameterCount: Int { classes * (columns + 1) }

  /// The penalty's weight, `1/(C·Σs)`.
  private var penalty: Double { inverseSum / c }

  /// Evaluates at `x`; at the current point (a fit continuing where the last one ended, for
  /// another C) the scores and the data part of the gradient held for it are used as they are.
  func evaluate(_ x: [Double], gradient grad: inout [Double]) -> Double {
    let atCurrentPoint = x == point
    point = x
    direction = [Double](repeating: 0, count: x.count)
    directionScores.base.update(repeating: 0, count: rows * classes)
    if !atCurrentPoint { rowProduct(of: x, into: baseScores) }
    penaltyTerms = (squares(x, x), 0, 0)
    let value = valueAndSlope(at: 0).value
    if !atCurrentPoint { multiplyDerivative() }
    writeGradient(&grad)
    return value
  }

  func beginLine(direction d: [Double]) {
    direction = d
    rowProduct(of: d, into: directionScores)
    penaltyTerms = (squares(point, point), squares(point, d), squares(d, d))
    lastStep = .nan
  }

  func valueAndSlope(at step: Double) -> (value: Double, slope: Double) {
    let bias = (0..<classes).map {
      Float(point[classes * columns + $0] + step * direction[classes * columns + $0])
    }
    let biasChange = (0..<classes).map { Float(direction[classes * columns + $0]) }
    pool.parallelFor(rowBlocks.count) { chunk in
      for block in chunk {
        self.lossOfBlock(block, step: Float(step), bias: bias, biasChange: biasChange)
      }
    }
    lastStep = step
    var (value, slope) = (0.0, 0.0)
    for block in 0..<rowBlocks.count {
      value += blockLoss[block]
      slope += blockSlope[block]
    }
    let (xx, xd, dd) = penaltyTerms
    value = value * inverseSum + 0.5 * penalty * (xx + 2 * step * xd + step * step * dd)
    return (value, slope + penalty * (xd + step * dd))
  }

  func accept(step: Double, gradient grad: inout [Double]) {
    if step != lastStep { _ = valueAndSlope(at: step) }
    let (base, change, scale) = (baseScores, directionScores, Float(step))
    pool.parallelFor(rowBlocks.count) { chunk in
      for block in chunk {
        for index
          in (self.rowBlocks[block].lowerBound * self.classes)..<(self.rowBlocks[block].upperBound
          * self.classes)
        {
          base[index] += scale * change[index]
        }
      }
    }
    axpy(step, direction, &point)
    multiplyDerivative()
    writeGradient(&grad)
  }

  /// `Σ` over the penalised parameters of `a_i·b_i`.
  private func squares(_ a: [Double], _ b: [Double]) -> Double {
    let penalised = classes * columns + (penalizeIntercept ? classes : 0)
    var sum = 0.0
    for index in 0..<penalised { sum += a[index] * b[index] }
    return sum
  }

  /// `output = X·Wᵀ` for the weight part `W` of `parameters`, each thread over a range of rows.
  private func rowProduct(of parameters: [Double], into output: SharedBuffer<Float>) {
    let (classes, columns, blocks) = (self.classes, self.columns, productRowBlocks)
    graft_linear_pack_weights(parameters, classes, columns, packedOperand.base)
    pool.parallelFor(blocks.count) { chunk in
      let first = blocks[chunk.lowerBound].lowerBound
      let count = blocks[chunk.upperBound - 1].upperBound - first
      graft_linear_scores(
        count, classes, columns, self.features.base + first * columns, columns,
        self.packedOperand.base, output.base + first * classes, classes)
    }
  }

  /// The loss, `∂f/∂scores` and slope along the line of one block of rows at `step`.
  private func lossOfBlock(_ block: Int, step: Float, bias: [Float], biasChange: [Float]) {
    var total = 0.0
    var slope = 0.0
    var biasSum = [Double](repeating: 0, count: classes)
    for row in rowBlocks[block] {
      let offset = row * classes
      let out = derivative.base + offset
      for k in 0..<classes {
        out[k] = baseScores[offset + k] + step * directionScores[offset + k] + bias[k]
      }
      let weight = rowWeights[row]
      total += weight * loss.evaluate(out, classes: classes, label: Int(labels[row]))
      let factor = Float(weight * inverseSum)
      for k in 0..<classes {
        out[k] *= factor
        biasSum[k] += Double(out[k])
        slope += Double(out[k]) * Double(directionScores[offset + k] + biasChange[k])
      }
    }
    blockLoss[block] = total
    blockSlope[block] = slope
    for k in 0..<classes { blockBias[block * classes + k] = biasSum[k] }
  }

  /// `gradient = Gᵀ·X` for `G = derivative` (at the current point), each thread over a range
  /// of columns: the data part of `∇f` there.
  private func multiplyDerivative() {
    let (rows, classes, columns) = (self.rows, self.classes, self.columns)
    let (depth, blocks) = (depthBlocks, columnBlocks)
    pool.parallelFor(depth.count) { chunk in
      graft_linear_pack_derivative(
        self.derivative.base, rows, classes, depth[chunk.lowerBound].lowerBound,
        depth[chunk.upperBound - 1].upperBound, self.packedDerivative.base)
    }
    pool.parallelFor(blocks.count) { chunk in
      let first = blocks[chunk.lowerBound].lowerBound
      let count = blocks[chunk.upperBound - 1].upperBound - first
      graft_linear_gradient(
        classes, rows, count, self.packedDerivative.base, self.features.base + first, columns,
        self.gradient.base + first, columns)
    }
  }

  /// `∇f` at the current point: `gradient` plus the penalty's, and the bias's from the
  /// per-block sums of the last `valueAndSlope` (at the current point).
  private func writeGradient(_ grad: inout [Double]) {
    var biasGradient = [Double](repeating: 0, count: classes)
    for block in 0..<rowBlocks.count {
      for k in 0..<classes { biasGradient[k] += blockBias[block * classes + k] }
    }
    for index in 0..<(classes * columns) {
      grad[index] = Double(gradient[index]) + penalty * point[index]
    }
    for k in 0..<classes {
      let b = point[classes * columns + k]
      grad[classes * columns + k] = biasGradient[k] + (penalizeIntercept ? penalty * b : 0)
    }
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

/// The fits of one training set over a grid of C, sharing one `LinearObjective` (its copy of
/// the features and its buffers), each minimised with `LBFGS` from `warmStart` or zeros. A fit
/// warm-started from the session's previous fit starts at that fit's exact parameters, where
/// the objective already holds `X·Wᵀ` and the data part of the gradient: it begins without a
/// product.
final class LinearFitSession<Loss: RowLoss>: HeadFitSession {
  private let objective: LinearObjective<Loss>
  private let options: HeadFitOptions
  /// The previous fit and its parameters in double.
  private var previous: (fit: HeadFit, parameters: [Double])?

  init(data: TrainingSet, options: HeadFitOptions, loss: Loss, penalizeIntercept: Bool) {
    objective = LinearObjective(
      data: data, c: 1, options: options, loss: loss, penalizeIntercept: penalizeIntercept)
    self.options = options
  }

  func fit(c: Double, warmStart: HeadFit?) -> HeadFit {
    objective.c = c
    let start =
      previous.flatMap { $0.fit.layers == warmStart?.layers ? $0.parameters : nil }
      ?? objective.parameters(of: warmStart)
    let solver = LBFGS(
      maxIterations: options.maxIterations, tolerance: options.tolerance,
      relativeNoise: objective.relativeNoise)
    let result = solver.minimize(from: start, objective)
    let fit = HeadFit(
      layers: [objective.layer(result.x)], converged: result.converged,
      iterations: result.iterations)
    previous = (fit, result.x)
    return fit
  }
}
