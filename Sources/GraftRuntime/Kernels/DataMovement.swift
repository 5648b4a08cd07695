import GraftIR

/// Helpers shared by the data-movement kernels, which work on bytes so that one kernel serves
/// every dtype.
enum DataMovement {
  /// A kernel copying input 0's bytes to output 0: the kernel of every op that keeps the elements
  /// in row-major order and only changes the shape (Reshape, Flatten, Squeeze, Unsqueeze).
  static func sameBytes(_ context: KernelContext) -> any CPUKernel {
    let bytes = context.outputShapes[0].reduce(1, *) * context.outputTypes[0].byteSize
    return ClosureKernel { inputs, outputs, _ in
      outputs[0].data.copyMemory(from: inputs[0]!.data, byteCount: bytes)
    }
  }

  /// Row-major strides of `shape`, in elements.
  static func strides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    for axis in stride(from: shape.count - 2, through: 0, by: -1) {
      strides[axis] = strides[axis + 1] * shape[axis + 1]
    }
    return strides
  }

  /// Fills `count` elements of `elementSize` bytes at `destination` with the element at `value`.
  static func fill(
    _ destination: UnsafeMutableRawPointer, count: Int, elementSize: Int,
    with value: UnsafeRawPointer
  ) {
    switch elementSize {
    case 1: fill(destination, count, value.load(as: UInt8.self))
    case 2: fill(destination, count, value.load(as: UInt16.self))
    case 4: fill(destination, count, value.load(as: UInt32.self))
    default: fill(destination, count, value.load(as: UInt64.self))
    }
  }

  private static func fill<T>(_ destination: UnsafeMutableRawPointer, _ count: Int, _ value: T) {
    destination.bindMemory(to: T.self, capacity: count).update(repeating: value, count: count)
  }
}

extension KernelContext {
  /// The values of integer input `index` (a shape, axes, pads…), which must be known when the plan
  /// is built; nil when the optional input is absent.
  func knownIntegers(_ index: Int, op: String, input: String) throws -> [Int]? {
    guard index < inputShapes.count, inputShapes[index] != nil else { return nil }
    guard let values = constants[index]?.integers() else {
      throw RuntimeError.unsupportedKernel(
        node: nodeName,
        "\(op): input '\(input)' must be known when the plan is built (a constant or computed "
          + "from shapes); it depends on data here")
    }
    return values.map { Int($0) }
  }

  /// Byte size of the elements of input 0 (the data input of a data-movement op).
  func elementSize() throws -> Int {
    guard let dtype = inputTypes.first ?? nil else {
      throw RuntimeError.kernel(node: nodeName, "input 0 is missing")
    }
    return dtype.byteSize
  }
}

/// An address shared by the threads of a `parallelFor`, which touch disjoint bytes through it.
struct SharedAddress: @unchecked Sendable {
  let pointer: UnsafeMutableRawPointer

  init(_ pointer: UnsafeMutableRawPointer) { self.pointer = pointer }
  init(_ pointer: UnsafeRawPointer) { self.pointer = UnsafeMutableRawPointer(mutating: pointer) }
}
