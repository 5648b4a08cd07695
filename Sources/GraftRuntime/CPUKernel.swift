import GraftIR

/// A value in the runtime's memory: element type, fixed shape, and where its elements are.
///
/// Layout is the IR's: dense row-major, NCHW for images.
public struct RuntimeTensor: @unchecked Sendable {
  public let dtype: DType
  public let shape: [Int]
  public let data: UnsafeMutableRawPointer

  public var count: Int { shape.reduce(1, *) }
  public var byteCount: Int { count * dtype.byteSize }

  /// The elements as float32 (the tensor must be float32).
  public var floats: UnsafeMutablePointer<Float> {
    precondition(dtype == .float32, "reading \(dtype) as float32")
    return data.assumingMemoryBound(to: Float.self)
  }
}

/// One node compiled for fixed shapes: weights packed, loops sized, ready to run many times.
public protocol CPUKernel: Sendable {
  /// Computes the node's outputs from its inputs (omitted optional inputs are absent from the
  /// array only when trailing; kernels index by position as the op defines).
  func run(inputs: [RuntimeTensor?], outputs: [RuntimeTensor], pool: ThreadPool) throws
}

/// What a kernel is built from: the node's fixed input and output types and constant inputs.
public struct KernelContext: Sendable {
  public let nodeName: String
  /// Input shapes (nil for omitted optional inputs).
  public let inputShapes: [[Int]?]
  public let inputTypes: [DType?]
  /// Inputs known at plan time (weights, folded shapes).
  public let constants: [Tensor?]
  public let outputShapes: [[Int]]
  public let outputTypes: [DType]

  /// The shape of required input `index`.
  public func shape(_ index: Int) throws -> [Int] {
    guard index < inputShapes.count, let shape = inputShapes[index] else {
      throw RuntimeError.kernel(node: nodeName, "input \(index) is missing")
    }
    return shape
  }

  /// Throws unless every input and output present is float32 (for kernels written for float32).
  public func requireFloat32(_ op: String) throws {
    let types = inputTypes.compactMap { $0 } + outputTypes
    guard types.allSatisfy({ $0 == .float32 }) else {
      throw RuntimeError.unsupportedKernel(
        node: nodeName,
        "\(op) runs on float32 only; this node has " + types.map(\.rawValue).joined(separator: ", ")
      )
    }
  }
}

/// An IR operator the CPU runtime can execute. Conformances live in `Kernels/<Op>+CPU.swift`.
public protocol CPUExecutable: Operator {
  /// Compiles the node for the shapes in `context`.
  func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel
}

/// A kernel from a closure, for ops whose compiled state is a few captured values.
struct ClosureKernel: CPUKernel {
  let body: @Sendable ([RuntimeTensor?], [RuntimeTensor], ThreadPool) throws -> Void
  func run(inputs: [RuntimeTensor?], outputs: [RuntimeTensor], pool: ThreadPool) throws {
    try body(inputs, outputs, pool)
  }
}
