import GraftIR

/// Runs a float32 kernel on float16 or float64 values by converting at its boundary.
///
/// Ops whose arithmetic is written once for float32 (BLAS-backed convolutions, products) serve
/// the other floating-point types this way: inputs of the node's floating-point type are
/// converted to float32 before the kernel runs and its outputs converted back.
enum Float32Bridge {
  /// Builds `build`'s kernel for `context`, bridged when the node computes in float16 or float64.
  ///
  /// - Throws: `RuntimeError.unsupportedKernel` unless every input and output is float32, or
  ///   every one is the same type in `bridged`.
  static func kernel(
    _ context: KernelContext, op: String, bridged: Set<DType> = [.float16, .float64],
    build: (KernelContext) throws -> any CPUKernel
  ) throws -> any CPUKernel {
    let types = context.inputTypes.compactMap { $0 } + context.outputTypes
    let floats = Set(types)
    guard floats.isSubset(of: bridged.union([.float32])), floats.count <= 1 else {
      throw RuntimeError.unsupportedKernel(
        node: context.nodeName,
        "\(op) runs on "
          + ([.float32] + bridged.sorted { $0.rawValue < $1.rawValue })
          .map(\.rawValue).joined(separator: ", ") + "; this node has "
          + types.map(\.rawValue).joined(separator: ", "))
    }
    guard let from = floats.first, from != .float32 else { return try build(context) }
    func bridge(_ dtype: DType?) -> DType? { dtype == from ? .float32 : dtype }
    let inner = KernelContext(
      nodeName: context.nodeName, inputShapes: context.inputShapes,
      inputTypes: context.inputTypes.map(bridge),
      constants: context.constants.map { constant in
        constant.map {
          $0.dtype == from ? Tensor.converting($0.doubles(), to: .float32, shape: $0.shape) : $0
        }
      },
      outputShapes: context.outputShapes, outputTypes: context.outputTypes.map { bridge($0)! })
    return BridgedKernel(inner: try build(inner), from: from)
  }
}

private struct BridgedKernel: CPUKernel {
  let inner: any CPUKernel
  let from: DType

  func run(inputs: [RuntimeTensor?], outputs: [RuntimeTensor], pool: ThreadPool) throws {
    var buffers: [UnsafeMutablePointer<Float>] = []
    defer { for buffer in buffers { buffer.deallocate() } }
    func float32(_ tensor: RuntimeTensor) -> RuntimeTensor {
      guard tensor.dtype == from else { return tensor }
      let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(tensor.count, 1))
      buffers.append(buffer)
      return RuntimeTensor(
        dtype: .float32, shape: tensor.shape, data: UnsafeMutableRawPointer(buffer))
    }
    let innerInputs = inputs.map { $0.map(float32) }
    for (source, converted) in zip(inputs, innerInputs) {
      guard let source, let converted, source.dtype == from else { continue }
      convert(source, to: converted.floats)
    }
    let innerOutputs = outputs.map(float32)
    try inner.run(inputs: innerInputs, outputs: innerOutputs, pool: pool)
    for (target, converted) in zip(outputs, innerOutputs) where target.dtype == from {
      convert(UnsafePointer(converted.floats), to: target)
    }
  }

  private func convert(_ source: RuntimeTensor, to target: UnsafeMutablePointer<Float>) {
    switch source.dtype {
    case .float16:
      let values = source.data.assumingMemoryBound(to: Float16.self)
      for index in 0..<source.count { target[index] = Float(values[index]) }
    default:
      let values = source.data.assumingMemoryBound(to: Double.self)
      for index in 0..<source.count { target[index] = Float(values[index]) }
    }
  }

  private func convert(_ source: UnsafePointer<Float>, to target: RuntimeTensor) {
    switch target.dtype {
    case .float16:
      let values = target.data.assumingMemoryBound(to: Float16.self)
      for index in 0..<target.count { values[index] = Float16(source[index]) }
    default:
      let values = target.data.assumingMemoryBound(to: Double.self)
      for index in 0..<target.count { values[index] = Double(source[index]) }
    }
  }
}
