import GraftIR

/// X is viewed as `[rows, n]` with `n` the product of the normalised axes `axis…`. For each row:
/// mean μ and biased variance σ² accumulated in double, `InvStdDev = 1/sqrt(σ² + epsilon)`, and
/// `Y = (X − μ) · InvStdDev · Scale + B`, with Scale and B broadcast to the normalised shape (an
/// index map built at plan time unless they already have it). The optional outputs Mean and
/// InvStdDev (`[rows]` in `stashType`) are written when the node has them. Rows run in parallel.
extension LayerNormalization: CPUExecutable {
  private struct Builder: FloatingKernelBuilder {
    let rows: Int
    let length: Int
    let epsilon: Double
    /// For each normalised element, the element of Scale and of B it uses (nil: the same index).
    let scaleIndices: [Int]?
    let biasIndices: [Int]?

    func build<T: KernelFloat>(_ type: T.Type) -> any CPUKernel {
      let (rows, length, epsilon) = (rows, length, epsilon)
      let (scaleIndices, biasIndices) = (scaleIndices, biasIndices)
      return ClosureKernel { inputs, outputs, pool in
        func expand(_ values: [Double], _ indices: [Int]?) -> [T] {
          indices.map { $0.map { T(values[$0]) } } ?? values.map { T($0) }
        }
        let scale = expand(inputs[1]!.doubles(), scaleIndices)
        let bias =
          inputs.count > 2 && inputs[2] != nil
          ? expand(inputs[2]!.doubles(), biasIndices) : [T](repeating: 0, count: length)
        let input = inputs[0]!
        let output = outputs[0]
        let statistics = Array(outputs.dropFirst())
        pool.parallelFor(rows, minimumChunk: max(1, elementwiseChunk / max(length, 1))) { range in
          for row in range {
            let x = input.pointer(T.self) + row * length
            let y = output.pointer(T.self) + row * length
            let (mean, variance) = meanAndVariance(x, count: length)
            let inverse = 1 / (variance + epsilon).squareRoot()
            let (shift, factor) = (T(mean), T(inverse))
            for k in 0..<length { y[k] = (x[k] - shift) * factor * scale[k] + bias[k] }
            for (statistic, value) in zip(statistics, [mean, inverse]) {
              statistic.store(value, at: row)
            }
          }
        }
      }
    }
  }

  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let shape = try context.shape(0)
    let dtype = try context.dtype(0)
    let first = try ShapeRules.axis(axis, rank: shape.count)
    let normalised = Array(shape[first...])
    // A parameter with as many elements as the normalised shape is already laid out like it.
    func indices(_ input: Int) -> [Int]? {
      guard input < context.inputShapes.count, let shape = context.inputShapes[input],
        shape.reduce(1, *) != normalised.reduce(1, *)
      else { return nil }
      let plan = BroadcastPlan([shape], to: normalised)
      var result: [Int] = []
      result.reserveCapacity(plan.count)
      plan.forEachRow(in: 0..<plan.rowCount) { _, starts in
        for k in 0..<plan.rowLength { result.append(starts[0] + k * plan.innerStrides[0]) }
      }
      return result
    }
    for stash in context.outputTypes.dropFirst() where !stash.isFloatingPoint {
      throw context.unsupported("LayerNormalization statistics", stash)
    }
    let builder = Builder(
      rows: shape[..<first].reduce(1, *), length: normalised.reduce(1, *),
      epsilon: Double(epsilon), scaleIndices: indices(1), biasIndices: indices(2))
    guard let kernel = try dtype.floatingKernel(builder) else {
      throw context.unsupported("LayerNormalization", dtype)
    }
    return kernel
  }
}

extension RuntimeTensor {
  /// Writes `value` into floating-point element `index`.
  fileprivate func store(_ value: Double, at index: Int) {
    switch dtype {
    case .float64: pointer(Double.self)[index] = value
    case .float16: pointer(Float16.self)[index] = Float16(value)
    default: pointer(Float.self)[index] = Float(value)
    }
  }
}
