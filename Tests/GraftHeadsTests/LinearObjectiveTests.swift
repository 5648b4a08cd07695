import Foundation
import GraftIR
import Testing

@testable import GraftHeads

/// A set whose sizes give every edge of the `graft_linear` kernels: 531 rows (3 depth chunks, a
/// last row panel of 3 rows, 3 row blocks of the scores product), 150 columns (3 column blocks
/// of the gradient product, a last column piece of 6), 21 classes (a last panel of 8 classes
/// holding 5 in the scores product, a last panel of 3 in the gradient product).
private func edgySet() -> TrainingSet {
  var rng = SplitMix64(seed: 21)
  let (rows, columns, classes) = (531, 150, 21)
  return TrainingSet(
    features: (0..<(rows * columns)).map { _ in Float.random(in: -1...1, using: &rng) },
    rows: rows, columns: columns,
    labels: (0..<rows).map { _ in Int32.random(in: 0..<Int32(classes), using: &rng) },
    classCount: classes)
}

private func randomParameters(_ count: Int, seed: UInt64) -> [Double] {
  var rng = SplitMix64(seed: seed)
  return (0..<count).map { _ in Double.random(in: -0.1...0.1, using: &rng) }
}

/// `LinearObjective`'s value and gradient for cross-entropy, computed in double from its
/// formula: `(1/n)·[Σ_i CE(x_i·Wᵀ + b, y_i) + ‖W‖²/(2C)]`.
private func reference(_ data: TrainingSet, _ x: [Double], c: Double) -> (Double, [Double]) {
  let (rows, columns, classes) = (data.rows, data.columns, data.classCount)
  var value = 0.0
  var gradient = [Double](repeating: 0, count: x.count)
  for row in 0..<rows {
    var scores = (0..<classes).map { k in
      (0..<columns).reduce(x[classes * columns + k]) {
        $0 + x[k * columns + $1] * Double(data.features[row * columns + $1])
      }
    }
    let largest = scores.max()!
    let sum = scores.reduce(0) { $0 + exp($1 - largest) }
    let label = Int(data.labels[row])
    value += largest + log(sum) - scores[label]
    for k in 0..<classes { scores[k] = exp(scores[k] - largest) / sum - (k == label ? 1 : 0) }
    for k in 0..<classes {
      for column in 0..<columns {
        gradient[k * columns + column] += scores[k] * Double(data.features[row * columns + column])
      }
      gradient[classes * columns + k] += scores[k]
    }
  }
  let squares = (0..<(classes * columns)).reduce(0) { $0 + x[$1] * x[$1] }
  value = (value + squares / (2 * c)) / Double(rows)
  for index in gradient.indices {
    gradient[index] =
      (gradient[index] + (index < classes * columns ? x[index] / c : 0))
      / Double(rows)
  }
  return (value, gradient)
}

private func objective(_ data: TrainingSet, c: Double, threads: Int) -> LinearObjective<
  CrossEntropy
> {
  LinearObjective(
    data: data, c: c, options: HeadFitOptions(threads: threads), loss: CrossEntropy(),
    penalizeIntercept: false)
}

/// The float32 kernels give the double formula's value and gradient to float32 accuracy, at a
/// point and after a step along a line (the direction's product and the accepted step).
@Test func linearObjectiveMatchesItsFormula() {
  let data = edgySet()
  let f = objective(data, c: 0.5, threads: 2)
  let start = randomParameters(f.parameterCount, seed: 1)
  let direction = randomParameters(f.parameterCount, seed: 2)
  var gradient = [Double](repeating: 0, count: f.parameterCount)
  let value = f.evaluate(start, gradient: &gradient)
  f.beginLine(direction: direction)
  let (stepValue, slope) = f.valueAndSlope(at: 0.7)
  var stepGradient = gradient
  f.accept(step: 0.7, gradient: &stepGradient)
  var end = start
  axpy(0.7, direction, &end)
  for (point, value, gradient) in [(start, value, gradient), (end, stepValue, stepGradient)] {
    let (expected, expectedGradient) = reference(data, point, c: 0.5)
    #expect(abs(value - expected) <= 1e-5 * abs(expected))
    let scale = expectedGradient.map(abs).max()!
    let error = zip(gradient, expectedGradient).map { abs($0 - $1) }.max()!
    #expect(error <= 1e-5 * scale, "largest gradient error \(error) of \(scale)")
  }
  let expectedSlope = dot(reference(data, end, c: 0.5).1, direction)
  #expect(abs(slope - expectedSlope) <= 1e-5 * abs(expectedSlope))
}

/// Splitting the kernels' rows and columns between 1, 2 or 3 threads changes no bit.
@Test func linearObjectiveIsTheSameBitsOnAnyThreadCount() {
  let data = edgySet()
  let results = [1, 2, 3].map { threads in
    let f = objective(data, c: 2, threads: threads)
    var gradient = [Double](repeating: 0, count: f.parameterCount)
    let value = f.evaluate(randomParameters(f.parameterCount, seed: 3), gradient: &gradient)
    f.beginLine(direction: randomParameters(f.parameterCount, seed: 4))
    let (stepValue, slope) = f.valueAndSlope(at: 0.3)
    var stepGradient = gradient
    f.accept(step: 0.3, gradient: &stepGradient)
    return [value, stepValue, slope] + gradient + stepGradient
  }
  #expect(results[0] == results[1] && results[0] == results[2])
}

/// Evaluating again at the current point for another C (a grid's next fit, warm-started)
/// reuses the scores and the data part of the gradient held for it: the result is the
/// formula's at that point for the new C, to float32 accuracy.
@Test func evaluatingAtTheCurrentPointForAnotherCMatchesTheFormula() {
  let data = edgySet()
  let f = objective(data, c: 0.5, threads: 2)
  var gradient = [Double](repeating: 0, count: f.parameterCount)
  var point = randomParameters(f.parameterCount, seed: 5)
  _ = f.evaluate(point, gradient: &gradient)
  let direction = randomParameters(f.parameterCount, seed: 6)
  f.beginLine(direction: direction)
  _ = f.valueAndSlope(at: 1.3)  // a trial step the line search rejects
  f.accept(step: 0.4, gradient: &gradient)
  axpy(0.4, direction, &point)
  f.c = 3
  let value = f.evaluate(point, gradient: &gradient)
  let (expected, expectedGradient) = reference(data, point, c: 3)
  #expect(abs(value - expected) <= 1e-5 * abs(expected))
  let scale = expectedGradient.map(abs).max()!
  let error = zip(gradient, expectedGradient).map { abs($0 - $1) }.max()!
  #expect(error <= 1e-5 * scale, "largest gradient error \(error) of \(scale)")
}
