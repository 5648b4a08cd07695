import GraftIR

extension RangeOp: CPUExecutable {
  /// `output[i] = start + i·delta` for the output's length (fixed at plan time from the inputs),
  /// computed in the inputs' dtype; `start` and `delta` are read at run time.
  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let count = context.outputShapes[0].reduce(1, *)
    switch context.outputTypes[0] {
    case .float32: return RangeKernel<Float>(count: count)
    case .float64: return RangeKernel<Double>(count: count)
    case .int32: return RangeKernel<Int32>(count: count)
    case .int64: return RangeKernel<Int64>(count: count)
    case .float16: return RangeKernel<Float16>(count: count)
    case let dtype:
      throw RuntimeError.unsupportedKernel(
        node: context.nodeName,
        "Range runs on float32, float64, int32, int64 and float16, got \(dtype.rawValue)")
    }
  }
}

/// Writes `count` terms of the sequence, adding `delta` term after term as onnxruntime does.
private struct RangeKernel<T: Numeric>: CPUKernel {
  let count: Int

  func run(inputs: [RuntimeTensor?], outputs: [RuntimeTensor], pool: ThreadPool) throws {
    let start = inputs[0]!.data.load(as: T.self)
    let delta = inputs[2]!.data.load(as: T.self)
    let output = outputs[0].data.bindMemory(to: T.self, capacity: count)
    var value = start
    for index in 0..<count {
      output[index] = value
      value += delta
    }
  }
}
