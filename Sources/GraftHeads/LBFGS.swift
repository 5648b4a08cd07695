/// Limited-memory BFGS for smooth unconstrained minimisation, written here because neither
/// Swift nor Debian's packages offer one to link (scipy's L-BFGS-B is Fortran inside SciPy).
///
/// Directions come from the two-loop recursion over the last `history` pairs (Nocedal & Wright,
/// Algorithm 7.4) with initial Hessian `γI`, `γ = sᵀy / yᵀy`; steps satisfy the strong Wolfe
/// conditions (`StrongWolfeLineSearch`), the first step being `1/‖g‖₂` as in L-BFGS-B.
///
/// Convergence is scipy's projected-gradient test without bounds: `max_i |∇f_i| ≤ tolerance`
/// (L-BFGS-B's `pgtol`, which scikit-learn sets to its `tol`). Anything else that ends the
/// iteration (the budget, a line search that finds no decrease) is reported as not converged.
struct LBFGS {
  struct Result {
    var x: [Double]
    var value: Double
    var gradientNorm: Double
    var iterations: Int
    var converged: Bool
  }

  var history = 10
  var maxIterations: Int
  var tolerance: Double
  /// The relative error of the objective's values (see `StrongWolfeLineSearch`).
  var relativeNoise = 0.0

  /// Minimises a function that evaluates whole points (see `PointwiseObjective`).
  func minimize(
    from start: [Double],
    _ function: @escaping (_ x: [Double], _ gradient: inout [Double]) -> Double
  ) -> Result {
    minimize(from: start, PointwiseObjective(function))
  }

  func minimize(from start: [Double], _ objective: some LineObjective) -> Result {
    var x = start
    var g = [Double](repeating: 0, count: x.count)
    var f = objective.evaluate(x, gradient: &g)
    var steps: [[Double]] = []
    var changes: [[Double]] = []
    var curvatures: [Double] = []
    var iteration = 0
    while maxAbs(g) > tolerance && iteration < maxIterations {
      iteration += 1
      let direction = searchDirection(g, steps: steps, changes: changes, curvatures: curvatures)
      let initial = steps.isEmpty ? 1 / max(dot(g, g).squareRoot(), 1e-300) : 1
      let search = StrongWolfeLineSearch(relativeNoise: relativeNoise)
      objective.beginLine(direction: direction)
      guard
        let trial = search.search(
          value: f, slope: dot(g, direction), initialStep: initial, objective)
      else {
        return Result(
          x: x, value: f, gradientNorm: maxAbs(g), iterations: iteration,
          converged: false)
      }
      var trialGradient = g
      objective.accept(step: trial.step, gradient: &trialGradient)
      let s = direction.map { trial.step * $0 }
      let y = zip(trialGradient, g).map { $0 - $1 }
      let sy = dot(s, y)
      if sy > 1e-10 * dot(y, y) {
        if steps.count == history {
          steps.removeFirst()
          changes.removeFirst()
          curvatures.removeFirst()
        }
        steps.append(s)
        changes.append(y)
        curvatures.append(sy)
      }
      axpy(trial.step, direction, &x)
      (f, g) = (trial.value, trialGradient)
    }
    let norm = maxAbs(g)
    return Result(
      x: x, value: f, gradientNorm: norm, iterations: iteration, converged: norm <= tolerance)
  }

  /// `−H·g` by the two-loop recursion.
  private func searchDirection(
    _ g: [Double], steps: [[Double]], changes: [[Double]], curvatures: [Double]
  ) -> [Double] {
    var q = g
    var alphas = [Double](repeating: 0, count: steps.count)
    for i in stride(from: steps.count - 1, through: 0, by: -1) {
      alphas[i] = dot(steps[i], q) / curvatures[i]
      axpy(-alphas[i], changes[i], &q)
    }
    if let last = changes.last {
      let gamma = curvatures[curvatures.count - 1] / dot(last, last)
      for i in q.indices { q[i] *= gamma }
    }
    for i in 0..<steps.count {
      let beta = dot(changes[i], q) / curvatures[i]
      axpy(alphas[i] - beta, steps[i], &q)
    }
    return q.map { -$0 }
  }
}

func dot(_ a: [Double], _ b: [Double]) -> Double {
  var sum = 0.0
  for i in a.indices { sum += a[i] * b[i] }
  return sum
}

func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
  for i in y.indices { y[i] += alpha * x[i] }
}

func maxAbs(_ a: [Double]) -> Double { a.reduce(0) { max($0, abs($1)) } }
