/// Per-feature standardisation `(x − mean) / scale`, fitted as scikit-learn's StandardScaler.
///
/// `scale` is the population standard deviation (divisor `rows`), accumulated in double; a
/// feature whose variance is indistinguishable from rounding error of the two-pass algorithm
/// (`var ≤ n·ε·var + (n·mean·ε)²`, StandardScaler's `_is_constant_feature`) gets scale 1.
public struct Standardizer: Sendable, Equatable {
  public var mean: [Float]
  public var scale: [Float]

  public init(mean: [Float], scale: [Float]) {
    precondition(mean.count == scale.count)
    self.mean = mean
    self.scale = scale
  }

  /// Fits the mean and scale of every column of `data`.
  public init(fitting data: TrainingSet) {
    let n = Double(data.rows)
    var sums = [Double](repeating: 0, count: data.columns)
    for row in 0..<data.rows {
      for column in 0..<data.columns {
        sums[column] += Double(data.features[row * data.columns + column])
      }
    }
    let means = sums.map { $0 / max(n, 1) }
    var squares = [Double](repeating: 0, count: data.columns)
    for row in 0..<data.rows {
      for column in 0..<data.columns {
        let centred = Double(data.features[row * data.columns + column]) - means[column]
        squares[column] += centred * centred
      }
    }
    let epsilon = Double.ulpOfOne
    let scales = zip(squares, means).map { square, mean -> Double in
      let variance = square / max(n, 1)
      let constant =
        variance <= n * epsilon * variance + (n * mean * epsilon) * (n * mean * epsilon)
      return constant ? 1 : variance.squareRoot()
    }
    self.init(mean: means.map { Float($0) }, scale: scales.map { Float($0) })
  }

  /// The identity transform on `columns` features (for training without standardisation).
  public init(identityOn columns: Int) {
    self.init(
      mean: [Float](repeating: 0, count: columns), scale: [Float](repeating: 1, count: columns))
  }

  /// `data` with every feature standardised.
  public func apply(to data: TrainingSet) -> TrainingSet {
    precondition(data.columns == mean.count, "standardizer fitted on another width")
    var features = data.features
    let columns = data.columns
    for row in 0..<data.rows {
      for column in 0..<columns {
        let index = row * columns + column
        features[index] = (features[index] - mean[column]) / scale[column]
      }
    }
    return TrainingSet(
      features: features, rows: data.rows, columns: columns, labels: data.labels,
      classCount: data.classCount)
  }
}
