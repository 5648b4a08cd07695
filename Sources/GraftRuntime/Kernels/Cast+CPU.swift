import GraftIR

/// Converts every element as ONNX's Cast does (see `KernelScalar`): integers and bools convert
/// exactly through int64, floating point through double (float → integer truncates toward zero
/// as a C cast), and a cast to the same type copies the bytes.
extension Cast: CPUExecutable {
  private struct SourceBuilder: ScalarKernelBuilder {
    let destination: DType

    func build<Source: KernelScalar>(_ type: Source.Type) throws -> any CPUKernel {
      try destination.scalarKernel(DestinationBuilder<Source>())
    }
  }

  private struct DestinationBuilder<Source: KernelScalar>: ScalarKernelBuilder {
    func build<Destination: KernelScalar>(_ type: Destination.Type) -> any CPUKernel {
      let throughDouble = Source.dtype.isFloatingPoint
      return ClosureKernel { inputs, outputs, pool in
        let input = inputs[0]!
        let output = outputs[0]
        elementwiseChunks(output.count, pool: pool) { start, count in
          let x = input.pointer(Source.self)
          let y = output.pointer(Destination.self)
          if throughDouble {
            for i in start..<start + count { y[i] = Destination(double: x[i].doubleValue) }
          } else {
            for i in start..<start + count { y[i] = Destination(int64: x[i].int64Value) }
          }
        }
      }
    }
  }

  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let source = try context.dtype(0)
    if source == to {
      return ClosureKernel { inputs, outputs, _ in
        outputs[0].data.copyMemory(from: inputs[0]!.data, byteCount: outputs[0].byteCount)
      }
    }
    return try source.scalarKernel(SourceBuilder(destination: to))
  }
}
