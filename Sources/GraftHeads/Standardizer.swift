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
  ///
  /// Each column's sums run over the rows in order; the loops over buffers (not arrays) let
  /// the compiler vectorise across columns without changing any column's order.
  public init(fitting data: TrainingSet) {
    let (n, rows, columns) = (Double(data.rows), data.rows, data.columns)
    var sums = [Double](repeating: 0, count: columns)
    var squares = [Double](repeating: 0, count: columns)
    data.features.withUnsafeBufferPointer { features in
      sums.withUnsafeMutableBufferPointer { sums in
        for row in 0..<rows {
          let values = features.baseAddress! + row * columns
          for column in 0..<columns { sums[column] += Double(values[column]) }
        }
      }
      let means = sums.map { $0 / max(n, 1) }
      means.withUnsafeBufferPointer { means in
        squares.withUnsafeMutableBufferPointer { squares in
          for row in 0..<rows {
            let values = features.baseAddress! + row * columns
            for column in 0..<columns {
              let centred = Double(values[column]) - means[column]
              squares[column] += centred * centred
            }
          }
        }
      }
    }
    let means = sums.map { $0 / max(n, 1) }
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
    let (rows, columns) = (data.rows, data.columns)
    features.withUnsafeMutableBufferPointer { features in
      mean.withUnsafeBufferPointer { mean in
        scale.withUnsafeBufferPointer { scale in
          for row in 0..<rows {
            let values = features.baseAddress! + row * columns
            for column in 0..<columns {
              values[column] = (values[column] - mean[column]) / scale[column]
            }
          }
        }
      }
    }
    return TrainingSet(
      features: features, rows: data.rows, columns: columns, labels: data.labels,
      classCount: data.classCount)
  }
}
