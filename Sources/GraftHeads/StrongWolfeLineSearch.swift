/// A line search for a step satisfying the strong Wolfe conditions
///
///     f(x + αd) ≤ f(x) + c₁·α·∇f(x)ᵀd      and      |∇f(x + αd)ᵀd| ≤ c₂·|∇f(x)ᵀd|,
///
/// by bracketing then zooming with safeguarded cubic interpolation (Nocedal & Wright,
/// Algorithms 3.5 and 3.6), with L-BFGS's usual `c₁ = 10⁻⁴`, `c₂ = 0.9`.
///
/// Values computed from float32 products carry a relative error of about `relativeNoise`; near
/// the minimum the true decrease falls below it, so every comparison of values tolerates
/// `ε = relativeNoise·|f(x)|` (the noise-tolerant Armijo condition of Berahas, Byrd & Nocedal,
/// 2019) while the curvature condition, on the accurate slopes, still decides.
struct StrongWolfeLineSearch {
  /// A step along the line with the value and slope there.
  struct Point {
    var step: Double
    var value: Double
    var slope: Double
  }

  var sufficientDecrease = 1e-4
  var curvature = 0.9
  /// Function evaluations allowed per search (scikit-learn gives L-BFGS-B `maxls` 50).
  var maxEvaluations = 50
  var relativeNoise = 0.0

  /// The accepted step along the line `objective` has begun, from a point of value `value`
  /// and slope `slope0`; nil when the line does not descend or no step was found within the
  /// budget.
  func search(
    value: Double, slope slope0: Double, initialStep: Double, _ objective: some LineObjective
  ) -> Point? {
    let slack = relativeNoise * abs(value)
    guard slope0 < 0 else { return nil }
    var evaluations = 0
    func evaluate(_ step: Double) -> Point {
      evaluations += 1
      let (value, slope) = objective.valueAndSlope(at: step)
      return Point(step: step, value: value, slope: slope)
    }
    func armijo(_ p: Point) -> Bool {
      p.value <= value + sufficientDecrease * p.step * slope0 + slack
    }
    func strongCurvature(_ p: Point) -> Bool { abs(p.slope) <= -curvature * slope0 }

    let origin = Point(step: 0, value: value, slope: slope0)
    var previous = origin
    var step = initialStep
    while evaluations < maxEvaluations {
      let p = evaluate(step)
      if !p.value.isFinite {
        step = 0.5 * (previous.step + step)
        continue
      }
      if !armijo(p) || (previous.step > 0 && p.value >= previous.value + slack) {
        return zoom(low: previous, high: p)
      }
      if strongCurvature(p) { return p }
      if p.slope >= 0 { return zoom(low: p, high: previous) }
      previous = p
      step *= 4
    }
    return nil

    /// Narrows `[low, high]` (low satisfies Armijo and has the lower value) to a Wolfe point.
    func zoom(low start: Point, high end: Point) -> Point? {
      var low = start
      var high = end
      while evaluations < maxEvaluations {
        let width = high.step - low.step
        var step = cubicMinimizer(low, high)
        let margin = 0.1 * abs(width)
        let lower = min(low.step, high.step) + margin
        let upper = max(low.step, high.step) - margin
        if !step.isFinite || step < lower || step > upper { step = low.step + 0.5 * width }
        let p = evaluate(step)
        if !p.value.isFinite || !armijo(p) || p.value >= low.value + slack {
          high = p
        } else {
          if strongCurvature(p) { return p }
          if p.slope * (high.step - low.step) >= 0 { high = low }
          low = p
        }
        if abs(high.step - low.step) <= 1e-12 * max(abs(low.step), 1e-300) { break }
      }
      // Out of budget: the best Armijo point still decreases f.
      return low.step > 0 ? low : nil
    }
  }

  /// The minimiser of the cubic interpolating the values and slopes at `a` and `b`.
  private func cubicMinimizer(_ a: Point, _ b: Point) -> Double {
    let d1 = a.slope + b.slope - 3 * (a.value - b.value) / (a.step - b.step)
    let radicand = d1 * d1 - a.slope * b.slope
    guard radicand >= 0 else { return .nan }
    let d2 = (b.step > a.step ? 1.0 : -1.0) * radicand.squareRoot()
    return b.step - (b.step - a.step) * (b.slope + d2 - d1) / (b.slope - a.slope + 2 * d2)
  }
}
