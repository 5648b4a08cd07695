import GraftIR

/// Inference-mode batch normalisation as one multiply-add per element:
/// `Y[n, c, ·] = X[n, c, ·] · a[c] + b[c]` with `a = scale / sqrt(var + epsilon)` and
/// `b = B − mean · a`, folded in double at plan time when the statistics are constants (as they
/// are in trained models) and at run time otherwise. Layout: X `[N, C, D1, …]`.
///
/// The extra outputs of old opsets (running and saved statistics) receive the statistics
/// unchanged, which is what they are in inference mode: mean in outputs 1 and 3, var in 2 and 4.
extension BatchNormalization: CPUExecutable {
  private struct Builder: FloatingKernelBuilder {
    let shape: [Int]
    let epsilon: Double
    /// `(a, b)` when every statistic is a constant.
    let folded: ([Double], [Double])?

    func build<T: KernelFloat>(_ type: T.Type) -> any CPUKernel {
      let channels = shape[1]
      let planes = shape[0] * channels
      let plane = shape[2...].reduce(1, *)
      let (folded, epsilon) = (folded, epsilon)
      return ClosureKernel { inputs, outputs, pool in
        let (a, b) =
          folded
          ?? BatchNormalization.fold(
            scale: inputs[1]!.doubles(), bias: inputs[2]!.doubles(), mean: inputs[3]!.doubles(),
            variance: inputs[4]!.doubles(), epsilon: epsilon)
        let (scales, shifts) = (a.map { T($0) }, b.map { T($0) })
        let input = inputs[0]!
        let output = outputs[0]
        pool.parallelFor(planes, minimumChunk: max(1, elementwiseChunk / max(plane, 1))) { range in
          for index in range {
            let x = input.pointer(T.self) + index * plane
            let y = output.pointer(T.self) + index * plane
            let (scale, shift) = (scales[index % channels], shifts[index % channels])
            for k in 0..<plane { y[k] = x[k] * scale + shift }
          }
        }
        for (position, statistics) in outputs.enumerated().dropFirst() {
          let source = inputs[position % 2 == 1 ? 3 : 4]!
          statistics.data.copyMemory(from: source.data, byteCount: statistics.byteCount)
        }
      }
    }
  }

  fileprivate static func fold(
    scale: [Double], bias: [Double], mean: [Double], variance: [Double], epsilon: Double
  ) -> ([Double], [Double]) {
    let a = scale.indices.map { scale[$0] / (variance[$0] + epsilon).squareRoot() }
    return (a, bias.indices.map { bias[$0] - mean[$0] * a[$0] })
  }

  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let dtype = try context.dtype(0)
    let statistics = (1...4).map { context.constantDoubles($0) }
    let epsilon = Double(self.epsilon)
    var folded: ([Double], [Double])?
    if let scale = statistics[0], let bias = statistics[1], let mean = statistics[2],
      let variance = statistics[3]
    {
      folded = Self.fold(
        scale: scale, bias: bias, mean: mean, variance: variance, epsilon: epsilon)
    }
    for index in 1..<context.outputTypes.count
    where context.outputTypes[index] != context.inputTypes[index % 2 == 1 ? 3 : 4] {
      throw RuntimeError.unsupportedKernel(
        node: context.nodeName,
        "BatchNormalization output \(index) differs in type from its statistic")
    }
    let builder = Builder(shape: try context.shape(0), epsilon: epsilon, folded: folded)
    guard let kernel = try dtype.floatingKernel(builder) else {
      throw context.unsupported("BatchNormalization", dtype)
    }
    return kernel
  }
}
