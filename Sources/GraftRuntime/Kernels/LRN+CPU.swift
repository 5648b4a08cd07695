import Foundation
import GraftIR

extension LRN: CPUExecutable {
  /// Per batch item and channel `c`, the squares of channels `c − ⌊(size−1)/2⌋ … c +
  /// ⌈(size−1)/2⌉` (clipped to `[0, C)`) are summed in channel order over the whole plane, then
  /// `Y = X / (bias + alpha/size · sum)^beta`. Planes are independent work items.
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let x = try context.shape(0)
    let channels = x[1]
    let planes = x[0] * channels
    let size = x[2...].reduce(1, *)
    let before = (self.size - 1) / 2
    let after = self.size - 1 - before
    let (beta, bias, scale) = (beta, bias, alpha / Float(self.size))
    return try Float32Bridge.kernel(context, op: "LRN") { _ in
      ClosureKernel { inputs, outputs, pool in
        let x = inputs[0]!
        let y = outputs[0]
        pool.parallelFor(planes) { planes in
          let sums = UnsafeMutablePointer<Float>.allocate(capacity: max(size, 1))
          defer { sums.deallocate() }
          for plane in planes {
            let c = plane % channels
            let first = plane - c
            sums.update(repeating: 0, count: size)
            for neighbour in max(0, c - before)...min(channels - 1, c + after) {
              let source = x.floats + (first + neighbour) * size
              for i in 0..<size { sums[i] += source[i] * source[i] }
            }
            let source = x.floats + plane * size
            let target = y.floats + plane * size
            for i in 0..<size { target[i] = source[i] / powf(bias + scale * sums[i], beta) }
          }
        }
      }
    }
  }
}
