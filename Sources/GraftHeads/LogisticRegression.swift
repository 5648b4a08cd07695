import Foundation

/// Multinomial logistic regression with an L2 penalty, as scikit-learn's
/// `LogisticRegression(solver="lbfgs")` on more than two classes.
///
/// Minimises `C·Σ_i s_i·CE(softmax(W·x_i + b), y_i) + ½‖W‖²` (intercept not penalised), scaled
/// as `LinearObjective` documents, with `LBFGS` from zeros or from `warmStart`. `tolerance` is
/// the bound on the largest gradient component of the scaled objective (sklearn's `tol`).
/// Scores are logits: the head's softmax gives probabilities without calibration.
public struct LogisticRegression: HeadTrainer {
  public init() {}

  public var needsCalibration: Bool { false }

  public func fit(_ data: TrainingSet, c: Double, options: HeadFitOptions, warmStart: HeadFit?)
    throws -> HeadFit
  {
    try session(for: data, options: options).fit(c: c, warmStart: warmStart)
  }

  public func session(for data: TrainingSet, options: HeadFitOptions) -> any HeadFitSession {
    LinearFitSession(data: data, options: options, loss: CrossEntropy(), penalizeIntercept: false)
  }
}

/// Softmax cross-entropy: `log Σ_k e^{s_k} − s_y`, derivative `softmax(s) − onehot(y)`.
struct CrossEntropy: RowLoss {
  func evaluate(_ scores: UnsafeMutablePointer<Float>, classes: Int, label: Int) -> Double {
    var largest = scores[0]
    for k in 1..<classes { largest = max(largest, scores[k]) }
    let labelScore = scores[label]
    var sum: Float = 0
    for k in 0..<classes {
      let e = expf(scores[k] - largest)
      scores[k] = e
      sum += e
    }
    let inverse = 1 / sum
    for k in 0..<classes { scores[k] *= inverse }
    scores[label] -= 1
    return Double(largest) + log(Double(sum)) - Double(labelScore)
  }
}
