import Foundation
import GraftIR
import Testing

@testable import GraftHeads

/// Labels drawn from softmax(2·s) calibrate to a temperature near 2, and the fitted
/// temperature is a stationary point of the log loss.
@Test func temperatureRecoversSharpness() {
  var generator = SplitMix64(seed: 3)
  let (rows, classes) = (4000, 4)
  var scores = [Float](repeating: 0, count: rows * classes)
  var labels = [Int32](repeating: 0, count: rows)
  for row in 0..<rows {
    var weights = [Double](repeating: 0, count: classes)
    for k in 0..<classes {
      let s = Float.random(in: -2..<2, using: &generator)
      scores[row * classes + k] = s
      weights[k] = exp(2 * Double(s))
    }
    var draw = Double.random(in: 0..<weights.reduce(0, +), using: &generator)
    labels[row] = Int32(
      weights.firstIndex {
        draw -= $0
        return draw < 0
      } ?? classes - 1)
  }
  let t = TemperatureCalibration.fit(scores: scores, labels: labels, classes: classes)
  #expect(abs(t - 2) < 0.15)
  func loss(_ t: Double) -> Double {
    (0..<rows).reduce(0.0) { total, row in
      let s = (0..<classes).map { t * Double(scores[row * classes + $0]) }
      return total + log(s.map(exp).reduce(0, +)) - s[Int(labels[row])]
    }
  }
  #expect(loss(t) <= loss(t * 1.01) && loss(t) <= loss(t / 1.01))
}

/// L-BFGS reaches the Rosenbrock minimum within the gradient tolerance.
@Test func lbfgsMinimizesRosenbrock() {
  let solver = LBFGS(maxIterations: 200, tolerance: 1e-8)
  let result = solver.minimize(from: [-1.2, 1]) { x, g in
    g[0] = -2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] * x[0])
    g[1] = 200 * (x[1] - x[0] * x[0])
    return (1 - x[0]) * (1 - x[0]) + 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0])
  }
  #expect(result.converged && result.gradientNorm <= 1e-8)
  #expect(abs(result.x[0] - 1) < 1e-6 && abs(result.x[1] - 1) < 1e-6)
}
