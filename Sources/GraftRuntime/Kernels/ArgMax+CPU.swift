import GraftIR

/// For input `[outer, n, inner]` around `axis`, output `(a, b)` is the index `r` of the largest
/// `x[(a·n + r)·inner + b]`: the first one among equals, or the last with `selectLastIndex`.
extension ArgMax: CPUExecutable {
  private struct Builder: NumericKernelBuilder {
    let outer: Int
    let length: Int
    let inner: Int
    let selectLastIndex: Bool

    func build<T: KernelNumber>(_ type: T.Type) -> any CPUKernel {
      let (outer, length, inner, last) = (outer, length, inner, selectLastIndex)
      return ClosureKernel { inputs, outputs, pool in
        let input = inputs[0]!
        let output = outputs[0]
        pool.parallelFor(outer * inner, minimumChunk: max(1, elementwiseChunk / max(length, 1))) {
          items in
          let x = input.pointer(T.self)
          let y = output.pointer(Int64.self)
          for item in items {
            let row = x + (item / inner) * length * inner + item % inner
            var best = row[0]
            var index = 0
            for r in 1..<max(length, 1) {
              let value = row[r * inner]
              if value > best || (last && value == best) {
                best = value
                index = r
              }
            }
            y[item] = Int64(index)
          }
        }
      }
    }
  }

  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let shape = try context.shape(0)
    let dtype = try context.dtype(0)
    let axis = try ShapeRules.axis(self.axis, rank: shape.count)
    guard shape[axis] > 0 else {
      throw RuntimeError.kernel(node: context.nodeName, "ArgMax over an empty axis \(axis)")
    }
    let builder = Builder(
      outer: shape[..<axis].reduce(1, *), length: shape[axis],
      inner: shape[(axis + 1)...].reduce(1, *), selectLastIndex: selectLastIndex)
    guard let kernel = try dtype.numericKernel(builder) else {
      throw context.unsupported("ArgMax", dtype)
    }
    return kernel
  }
}
