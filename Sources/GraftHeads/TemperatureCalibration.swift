import Foundation

/// The softmax temperature that makes class scores probabilities: the `T > 0` minimising the
/// mean log loss `(1/n)·Σ_i [log Σ_k e^{T·s_ik} − T·s_iy]` of `softmax(T·s_i)`.
///
/// The loss is convex in T (its second derivative is the mean variance of the scores under the
/// softmax), so the root of its derivative `(1/n)·Σ_i (E_p[s_i] − s_iy)` is found by bracketing
/// and safeguarded Newton steps, in double. Every row weighs 1 (log loss as sklearn scores it).
/// Scores that do not rank the labels above average (derivative ≥ 0 at T → 0) give the
/// smallest temperature tried, `minimum`: nearly uniform probabilities.
enum TemperatureCalibration {
  static let minimum = 1e-6
  static let maximum = 1e6

  static func fit(scores: [Float], labels: [Int32], classes: Int) -> Double {
    func derivatives(_ t: Double) -> (first: Double, second: Double) {
      var first = 0.0
      var second = 0.0
      var probabilities = [Double](repeating: 0, count: classes)
      for (row, label) in labels.enumerated() {
        let s = (0..<classes).map { Double(scores[row * classes + $0]) }
        let largest = s.max()!
        var sum = 0.0
        for k in 0..<classes {
          probabilities[k] = exp(t * (s[k] - largest))
          sum += probabilities[k]
        }
        var mean = 0.0
        var square = 0.0
        for k in 0..<classes {
          let p = probabilities[k] / sum
          mean += p * s[k]
          square += p * s[k] * s[k]
        }
        first += mean - s[Int(label)]
        second += max(square - mean * mean, 0)
      }
      let n = Double(max(labels.count, 1))
      return (first / n, second / n)
    }
    var low = minimum
    guard derivatives(low).first < 0 else { return minimum }
    var high = 1.0
    while derivatives(high).first < 0 && high < maximum { (low, high) = (high, high * 2) }
    if high >= maximum { return maximum }
    var t = 0.5 * (low + high)
    for _ in 0..<100 {
      let (first, second) = derivatives(t)
      if abs(first) <= 1e-12 { break }
      if first < 0 { low = t } else { high = t }
      let newton = second > 0 ? t - first / second : .nan
      t = newton > low && newton < high ? newton : 0.5 * (low + high)
      if high - low <= 1e-12 * high { break }
    }
    return t
  }
}
