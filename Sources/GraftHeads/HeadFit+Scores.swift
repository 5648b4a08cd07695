import GraftRuntime

extension HeadFit {
  /// The last layer's outputs (class scores) on every row of `data`, row-major `[rows][classes]`.
  ///
  /// Each layer is `x·Wᵀ + b` through `BLAS.sgemm` over fixed blocks of rows, with ReLU between
  /// layers, as the exported head computes them.
  public func scores(_ data: TrainingSet, threads: Int) -> [Float] {
    var input = SharedBuffer(data.features)
    let pool = ThreadPool(threads: threads)
    BLAS.useCallingThreadOnly()
    for (index, layer) in layers.enumerated() {
      precondition(layer.inputs == (index == 0 ? data.columns : layers[index - 1].outputs))
      let output = SharedBuffer<Float>(repeating: 0, count: data.rows * layer.outputs)
      let weights = SharedBuffer(layer.weights)
      let source = input
      let relu = index < layers.count - 1
      let blocks = Blocks.ranges(data.rows, size: Blocks.rows)
      pool.parallelFor(blocks.count) { chunk in
        for rows in blocks[chunk] {
          let out = output.base + rows.lowerBound * layer.outputs
          BLAS.sgemm(
            m: rows.count, n: layer.outputs, k: layer.inputs,
            a: source.base + rows.lowerBound * layer.inputs, b: weights.base, transposeB: true,
            c: out)
          for row in 0..<rows.count {
            for unit in 0..<layer.outputs {
              let value = out[row * layer.outputs + unit] + layer.bias[unit]
              out[row * layer.outputs + unit] = relu ? max(value, 0) : value
            }
          }
        }
      }
      input = output
    }
    return input.array
  }
}

/// The fraction of rows whose highest score (the first, on ties) is their label.
func accuracy(scores: [Float], labels: [Int32], classes: Int) -> Double {
  guard !labels.isEmpty else { return 0 }
  var correct = 0
  for (row, label) in labels.enumerated() {
    var best = 0
    for k in 1..<classes where scores[row * classes + k] > scores[row * classes + best] {
      best = k
    }
    if best == Int(label) { correct += 1 }
  }
  return Double(correct) / Double(labels.count)
}
