import GraftIR

/// For each plane `X[n, c, ·]` of X `[N, C, D1, …]`: its mean μ and biased variance σ² (two
/// passes, accumulated in double), then `Y = (X − μ) · scale[c]/sqrt(σ² + epsilon) + B[c]`.
/// Planes are independent and run in parallel.
extension InstanceNormalization: CPUExecutable {
  private struct Builder: FloatingKernelBuilder {
    let shape: [Int]
    let epsilon: Double

    func build<T: KernelFloat>(_ type: T.Type) -> any CPUKernel {
      let channels = shape[1]
      let planes = shape[0] * channels
      let plane = shape[2...].reduce(1, *)
      let epsilon = epsilon
      return ClosureKernel { inputs, outputs, pool in
        let (scales, biases) = (inputs[1]!.doubles(), inputs[2]!.doubles())
        let input = inputs[0]!
        let output = outputs[0]
        pool.parallelFor(planes, minimumChunk: max(1, elementwiseChunk / max(plane, 1))) { range in
          for index in range {
            let x = input.pointer(T.self) + index * plane
            let y = output.pointer(T.self) + index * plane
            let (mean, variance) = meanAndVariance(x, count: plane)
            let a = scales[index % channels] / (variance + epsilon).squareRoot()
            let (scale, shift) = (T(a), T(biases[index % channels] - mean * a))
            for k in 0..<plane { y[k] = x[k] * scale + shift }
          }
        }
      }
    }
  }

  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let dtype = try context.dtype(0)
    let builder = Builder(shape: try context.shape(0), epsilon: Double(epsilon))
    guard let kernel = try dtype.floatingKernel(builder) else {
      throw context.unsupported("InstanceNormalization", dtype)
    }
    return kernel
  }
}

/// The mean and biased variance of `count` elements, in two passes accumulated in double (with
/// `interleavedFold`, so the order is fixed).
@inline(__always)
func meanAndVariance<T: KernelFloat>(_ x: UnsafePointer<T>, count: Int) -> (Double, Double) {
  guard count > 0 else { return (0, 0) }
  let mean = interleavedFold(count, 0, +) { Double(x[$0]) } / Double(count)
  let squares = interleavedFold(count, 0, +) { k in
    let d = Double(x[k]) - mean
    return d * d
  }
  return (mean, squares / Double(count))
}
