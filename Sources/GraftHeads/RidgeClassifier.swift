import GraftRuntime

/// Least-squares classification on ±1 targets with an L2 penalty, as scikit-learn's
/// `RidgeClassifier(alpha)` with its Cholesky solver.
///
/// Targets are `t_ik = +1` when row i is of class k, −1 otherwise (LabelBinarizer with
/// `neg_label = -1`). X and T are centred by their `s`-weighted means (so the intercept is not
/// penalised) and the weights solve, in double through LAPACK's Cholesky (`dposv`),
///
///     (Xcᵀ·S·Xc + α·I)·W = Xcᵀ·S·Tc,      b = t̄ − x̄·W,
///
/// with `S` the row (class) weights. `α = 1/(2C)`, so that the objective is
/// `C·Σ_i s_i‖t_i − W·x_i − b‖² + ½‖W‖²`, the same `C` as the squared-hinge SVM. With two
/// classes sklearn fits one column (class 1 against class 0); here both columns are solved and
/// the first is exactly the negated second, the (−s, s) expansion of sklearn's single score.
/// Scores are not probabilities: they need a fitted temperature.
public struct RidgeClassifier: HeadTrainer {
  public init() {}

  public var needsCalibration: Bool { true }

  /// Ridge's penalty `α` for an inverse regularisation `c`.
  public static func alpha(c: Double) -> Double { 1 / (2 * c) }

  public func fit(_ data: TrainingSet, c: Double, options: HeadFitOptions, warmStart: HeadFit?)
    throws -> HeadFit
  {
    let (rows, columns, classes) = (data.rows, data.columns, data.classCount)
    let weights = data.labels.map { Double(options.classWeights?[Int($0)] ?? 1) }
    let weightSum = weights.reduce(0, +)
    var mean = [Double](repeating: 0, count: columns)
    var targetMean = [Double](repeating: -1, count: classes)
    for row in 0..<rows {
      let w = weights[row] / weightSum
      for d in 0..<columns { mean[d] += w * Double(data.features[row * columns + d]) }
      targetMean[Int(data.labels[row])] += 2 * w
    }
    let (gram, crossProduct) = normalEquations(
      data, weights: weights, mean: mean, threads: options.threads)
    var system = gram
    let alpha = Self.alpha(c: c)
    for d in 0..<columns { system[d * columns + d] += alpha }
    let solution = try LAPACK.solveSymmetricPositiveDefinite(
      system, crossProduct, n: columns, rhs: classes)
    var layerWeights = [Float](repeating: 0, count: classes * columns)
    var bias = [Float](repeating: 0, count: classes)
    for k in 0..<classes {
      var offset = targetMean[k]
      for d in 0..<columns {
        layerWeights[k * columns + d] = Float(solution[d * classes + k])
        offset -= mean[d] * solution[d * classes + k]
      }
      bias[k] = Float(offset)
    }
    let layer = FittedHead.Dense(
      weights: layerWeights, bias: bias, inputs: columns, outputs: classes)
    return HeadFit(layers: [layer], converged: true, iterations: 1)
  }

  /// `Xcᵀ·S·Xc` (`columns×columns`) and `Xcᵀ·S·T` (`columns×classes`), row-major, in double.
  ///
  /// Rows are taken in fixed blocks, centred, scaled by `√s_i` and added in block order; each
  /// block's product is split across threads by output columns only.
  private func normalEquations(
    _ data: TrainingSet, weights: [Double], mean: [Double], threads: Int
  ) -> (gram: [Double], crossProduct: [Double]) {
    let (columns, classes) = (data.columns, data.classCount)
    let gram = SharedBuffer<Double>(repeating: 0, count: columns * columns)
    var classSums = [Double](repeating: 0, count: classes * columns)
    var totals = [Double](repeating: 0, count: columns)
    let pool = ThreadPool(threads: max(threads, 1))
    let outputBlocks = Blocks.ranges(columns, size: Blocks.columns)
    BLAS.useCallingThreadOnly()
    for rows in Blocks.ranges(data.rows, size: 4 * Blocks.rows) {
      let block = SharedBuffer<Double>(repeating: 0, count: rows.count * columns)
      for (index, row) in rows.enumerated() {
        let root = weights[row].squareRoot()
        for d in 0..<columns {
          let centred = Double(data.features[row * columns + d]) - mean[d]
          block[index * columns + d] = root * centred
          let weighted = root * block[index * columns + d]
          classSums[Int(data.labels[row]) * columns + d] += weighted
          totals[d] += weighted
        }
      }
      pool.parallelFor(outputBlocks.count) { chunk in
        for span in outputBlocks[chunk] {
          BLAS.dgemm(
            m: columns, n: span.count, k: rows.count, a: block.base, lda: columns,
            transposeA: true, b: block.base + span.lowerBound, ldb: columns, beta: 1,
            c: gram.base + span.lowerBound, ldc: columns)
        }
      }
    }
    // Σ_i s_i·xc_i·t_ik = 2·Σ_{i of class k} s_i·xc_i − Σ_i s_i·xc_i.
    var crossProduct = [Double](repeating: 0, count: columns * classes)
    for d in 0..<columns {
      for k in 0..<classes {
        crossProduct[d * classes + k] = 2 * classSums[k * columns + d] - totals[d]
      }
    }
    return (gram.array, crossProduct)
  }
}
