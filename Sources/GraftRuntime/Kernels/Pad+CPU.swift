import GraftIR

extension Pad: CPUExecutable {
  /// Output position `o` of an axis with begin pad `b` stands for input position `i = o − b`
  /// (negative pads crop). In `constant` mode the output is filled with constant_value (read at
  /// run time, 0 when absent) and the input positions that exist are copied as one box. The other
  /// modes map every `i` into `0..<d`: `edge` clamps, `wrap` takes `i mod d`, and `reflect`
  /// mirrors about the first and last cells (period `2(d − 1)`), as NumPy's `pad` does, so
  /// pads wider than the input keep reflecting.
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let shape = try context.shape(0)
    let output = context.outputShapes[0]
    let elementSize = try context.elementSize()
    let pads = try context.knownIntegers(1, op: "Pad", input: "pads") ?? []
    let axes = (try context.knownIntegers(3, op: "Pad", input: "axes") ?? Array(shape.indices))
      .map { $0 < 0 ? $0 + shape.count : $0 }
    var begins = [Int](repeating: 0, count: shape.count)
    for (index, axis) in axes.enumerated() where index < pads.count {
      begins[axis] = pads[index]
    }
    if mode == .constant {
      return try constantKernel(context, shape: shape, begins: begins)
    }
    var indices: [[Int]] = []
    for (axis, (size, count)) in zip(shape, output).enumerated() {
      guard size > 0 || count == 0 else {
        throw RuntimeError.unsupportedKernel(
          node: context.nodeName,
          "Pad: mode \(mode.rawValue) cannot pad axis \(axis), which is empty")
      }
      indices.append((0..<count).map { source(position: $0 - begins[axis], size: size) })
    }
    let copy = IndexedCopy(elementSize: elementSize, shape: shape, indices: indices)
    return ClosureKernel { inputs, outputs, pool in
      copy.run(from: inputs[0]!.data, to: outputs[0].data, pool: pool)
    }
  }

  /// The input position that fills position `i` (possibly outside `0..<size`) of an axis.
  private func source(position i: Int, size: Int) -> Int {
    switch mode {
    case .constant, .edge: return min(max(i, 0), size - 1)
    case .wrap: return (i % size + size) % size
    case .reflect:
      guard size > 1 else { return 0 }
      let period = 2 * (size - 1)
      let folded = abs(i) % period
      return folded < size ? folded : period - folded
    }
  }

  private func constantKernel(_ context: KernelContext, shape: [Int], begins: [Int]) throws
    -> any CPUKernel
  {
    let output = context.outputShapes[0]
    let elementSize = try context.elementSize()
    let inputStrides = DataMovement.strides(shape).map { $0 * elementSize }
    let outputStrides = DataMovement.strides(output).map { $0 * elementSize }
    var walks: [AxisWalk] = []
    var destinationBase = 0
    for axis in shape.indices {
      let first = max(0, -begins[axis])
      let target = max(0, begins[axis])
      let count = max(0, min(shape[axis] - first, output[axis] - target))
      walks.append(
        .stride(start: first * inputStrides[axis], step: inputStrides[axis], count: count))
      destinationBase += target * outputStrides[axis]
    }
    let copy = IndexedCopy(
      elementSize: elementSize, walks: walks, destinationStrides: outputStrides,
      destinationBase: destinationBase)
    let covered = walks.map(\.count) == output
    let count = output.reduce(1, *)
    return ClosureKernel { inputs, outputs, pool in
      if !covered {
        if inputs.count > 2, let value = inputs[2], value.count > 0 {
          DataMovement.fill(
            outputs[0].data, count: count, elementSize: elementSize, with: value.data)
        } else {
          outputs[0].data.initializeMemory(as: UInt8.self, repeating: 0, count: count * elementSize)
        }
      }
      copy.run(from: inputs[0]!.data, to: outputs[0].data, pool: pool)
    }
  }
}
