import Foundation

/// Adam (Kingma and Ba 2015) as scikit-learn's MLP applies it.
///
/// At update t, with gradient g: `m ← β₁·m + (1 − β₁)·g`, `v ← β₂·v + (1 − β₂)·g²`, and
/// `θ ← θ − η_t · m / (√v + ε)` where `η_t = η · √(1 − β₂ᵗ) / (1 − β₁ᵗ)`: the bias corrections
/// are folded into the rate and ε is added to the uncorrected `√v`, exactly as scikit-learn's
/// `AdamOptimizer`. Defaults are scikit-learn's.
struct AdamOptimizer {
  let learningRate: Double
  let beta1: Double
  let beta2: Double
  let epsilon: Float
  private(set) var updates = 0
  private let moments: SharedBuffer<Float>
  private let squares: SharedBuffer<Float>

  init(
    parameterCount: Int, learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
    epsilon: Float = 1e-8
  ) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    moments = SharedBuffer<Float>(repeating: 0, count: parameterCount)
    squares = SharedBuffer<Float>(repeating: 0, count: parameterCount)
  }

  /// Moves `parameters` one step against `gradients` (both of `parameterCount` values).
  mutating func update(_ parameters: SharedBuffer<Float>, gradients: SharedBuffer<Float>) {
    precondition(parameters.count == moments.count && gradients.count == moments.count)
    updates += 1
    let t = Double(updates)
    let rate = Float(learningRate * (1 - pow(beta2, t)).squareRoot() / (1 - pow(beta1, t)))
    let (beta1, beta2) = (Float(self.beta1), Float(self.beta2))
    let (m, v, theta, g) = (moments.base, squares.base, parameters.base, gradients.base)
    for index in 0..<moments.count {
      m[index] = beta1 * m[index] + (1 - beta1) * g[index]
      v[index] = beta2 * v[index] + (1 - beta2) * g[index] * g[index]
      theta[index] -= rate * m[index] / (v[index].squareRoot() + epsilon)
    }
  }
}
