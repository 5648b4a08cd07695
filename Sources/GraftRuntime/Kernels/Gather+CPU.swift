import GraftIR

extension Gather: CPUExecutable {
  /// With data viewed as `[outer, d, inner]` (d the size of `axis`) and `q` indices, output row
  /// `[o, j]` is the `inner`-element block `data[o, indices[j], :]`. Indices are read at run time
  /// (they may be activations, such as token ids), negative ones counting from the end; an index
  /// outside `-d..<d` is an error naming the index.
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let shape = try context.shape(0)
    let axis = self.axis < 0 ? self.axis + shape.count : self.axis
    let size = shape[axis]
    let outer = shape[..<axis].reduce(1, *)
    let innerBytes = shape[(axis + 1)...].reduce(1, *) * (try context.elementSize())
    let count = try context.shape(1).reduce(1, *)
    let indexType = context.inputTypes[1]
    guard indexType == .int64 || indexType == .int32 else {
      throw RuntimeError.unsupportedKernel(
        node: context.nodeName,
        "Gather: indices must be int32 or int64, got \(indexType?.rawValue ?? "unknown")")
    }
    let node = context.nodeName
    return ClosureKernel { inputs, outputs, pool in
      let raw = inputs[1]!.data
      var positions = [Int](repeating: 0, count: count)
      for j in 0..<count {
        let index =
          indexType == .int64
          ? Int(raw.load(fromByteOffset: j * 8, as: Int64.self))
          : Int(raw.load(fromByteOffset: j * 4, as: Int32.self))
        guard index >= -size && index < size else {
          throw RuntimeError.kernel(
            node: node, "Gather: index \(index) is out of range for axis \(axis) of size \(size)")
        }
        positions[j] = index < 0 ? index + size : index
      }
      let source = SharedAddress(inputs[0]!.data)
      let destination = SharedAddress(outputs[0].data)
      pool.parallelFor(outer * count, minimumChunk: max(1, 16384 / max(innerBytes, 1))) {
        [positions] rows in
        for row in rows {
          let (o, j) = row.quotientAndRemainder(dividingBy: count)
          (destination.pointer + row * innerBytes).copyMemory(
            from: source.pointer + (o * size + positions[j]) * innerBytes, byteCount: innerBytes)
        }
      }
    }
  }
}
