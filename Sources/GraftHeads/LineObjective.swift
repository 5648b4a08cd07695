/// A smooth objective as L-BFGS uses it: a full evaluation at a point, then cheap evaluations
/// along a line from it while the line search looks for a step.
///
/// The caller evaluates at `x` (`evaluate`), then for each iteration: `beginLine(direction:)`,
/// any number of `valueAndSlope(at:)`, and `accept(step:gradient:)`, which moves the current
/// point to `x + step·direction` and gives its gradient.
protocol LineObjective {
  /// `f(x)`, writing `∇f(x)`; `x` becomes the current point.
  func evaluate(_ x: [Double], gradient: inout [Double]) -> Double
  /// Starts a line from the current point along `direction`.
  func beginLine(direction: [Double])
  /// `f(x + step·d)` and the slope `∇f(x + step·d)ᵀd`.
  func valueAndSlope(at step: Double) -> (value: Double, slope: Double)
  /// Moves the current point to `x + step·d` and writes its gradient.
  func accept(step: Double, gradient: inout [Double])
}

/// A `LineObjective` from a function that only evaluates whole points: each step along the line
/// is a full evaluation.
final class PointwiseObjective: LineObjective {
  private let function: (_ x: [Double], _ gradient: inout [Double]) -> Double
  private var point: [Double] = []
  private var direction: [Double] = []
  /// The last step evaluated along the line and its gradient.
  private var lastStep = Double.nan
  private var lastGradient: [Double] = []

  init(_ function: @escaping (_ x: [Double], _ gradient: inout [Double]) -> Double) {
    self.function = function
  }

  func evaluate(_ x: [Double], gradient: inout [Double]) -> Double {
    point = x
    return function(x, &gradient)
  }

  func beginLine(direction: [Double]) {
    self.direction = direction
    lastStep = .nan
  }

  func valueAndSlope(at step: Double) -> (value: Double, slope: Double) {
    var trial = point
    axpy(step, direction, &trial)
    lastGradient = [Double](repeating: 0, count: point.count)
    let value = function(trial, &lastGradient)
    lastStep = step
    return (value, dot(lastGradient, direction))
  }

  func accept(step: Double, gradient: inout [Double]) {
    if step != lastStep { _ = valueAndSlope(at: step) }
    axpy(step, direction, &point)
    gradient = lastGradient
  }
}
