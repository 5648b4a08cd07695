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

/// The mean and biased variance of `count` elements, in two passes accumulated in double.
///
/// Each pass keeps four partial sums (elements `k ≡ 0, 1, 2, 3 mod 4`) so that the additions do
/// not wait on one another; the order is fixed, so results do not depend on threads.
@inline(__always)
func meanAndVariance<T: KernelFloat>(_ x: UnsafePointer<T>, count: Int) -> (Double, Double) {
  guard count > 0 else { return (0, 0) }
  @inline(__always) func sum(_ term: (Int) -> Double) -> Double {
    var (s0, s1, s2, s3) = (0.0, 0.0, 0.0, 0.0)
    var k = 0
    while k + 4 <= count {
      s0 += term(k)
      s1 += term(k + 1)
      s2 += term(k + 2)
      s3 += term(k + 3)
      k += 4
    }
    while k < count {
      s0 += term(k)
      k += 1
    }
    return (s0 + s1) + (s2 + s3)
  }
  let mean = sum { Double(x[$0]) } / Double(count)
  let variance = sum { k in
    let d = Double(x[k]) - mean
    return d * d
  }
  return (mean, variance / Double(count))
}
