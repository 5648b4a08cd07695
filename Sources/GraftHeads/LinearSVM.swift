/// A one-vs-rest linear support vector machine with the squared hinge loss, as scikit-learn's
/// `LinearSVC(loss="squared_hinge", penalty="l2")`.
///
/// For each class k, with `t_ik = +1` when row i is of class k and −1 otherwise, minimises
///
///     ½(‖w_k‖² + b_k²) + C·Σ_i s_i·max(0, 1 − t_ik·(w_k·x_i + b_k))²,
///
/// penalising the intercept as LinearSVC does with `intercept_scaling = 1`. The k problems are
/// independent; they are solved together by `LBFGS` on their sum (scaled as `LinearObjective`
/// documents), so each step is two matrix products for all classes. The objective is once
/// differentiable, enough for L-BFGS. Class weights weigh a row by its class in every problem;
/// liblinear instead weighs only the positive rows of each one-vs-rest problem.
/// Scores are margins: probabilities need a fitted temperature.
public struct LinearSVM: HeadTrainer {
  public init() {}

  public var needsCalibration: Bool { true }

  public func fit(_ data: TrainingSet, c: Double, options: HeadFitOptions, warmStart: HeadFit?)
    throws -> HeadFit
  {
    try session(for: data, options: options).fit(c: c, warmStart: warmStart)
  }

  public func session(for data: TrainingSet, options: HeadFitOptions) -> any HeadFitSession {
    LinearFitSession(data: data, options: options, loss: SquaredHinge(), penalizeIntercept: true)
  }
}

/// One-vs-rest squared hinge: `Σ_k max(0, 1 − t_k·s_k)²`, derivative `−2·t_k·max(0, 1 − t_k·s_k)`.
struct SquaredHinge: RowLoss {
  func evaluate(_ scores: UnsafeMutablePointer<Float>, classes: Int, label: Int) -> Double {
    var total = 0.0
    for k in 0..<classes {
      let sign: Float = k == label ? 1 : -1
      let slack = max(0, 1 - sign * scores[k])
      total += Double(slack) * Double(slack)
      scores[k] = -2 * sign * slack
    }
    return total
  }
}
