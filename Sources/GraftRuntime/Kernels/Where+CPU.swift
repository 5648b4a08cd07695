import GraftIR

/// `output = condition ? X : Y` with broadcasting over all three inputs. Selection only moves
/// bits, so one loop per element size serves every dtype.
extension Where: CPUExecutable {
  private static func kernel<Element>(_ plan: BroadcastPlan, _ type: Element.Type) -> any CPUKernel
  {
    let strides = plan.innerStrides
    let contiguous = strides.allSatisfy { $0 == 1 }
    return ClosureKernel { inputs, outputs, pool in
      let (condition, x, y, output) = (inputs[0]!, inputs[1]!, inputs[2]!, outputs[0])
      plan.parallelSegments(pool: pool) { start, starts, length in
        let c = condition.pointer(UInt8.self) + starts[0]
        let a = x.pointer(Element.self) + starts[1]
        let b = y.pointer(Element.self) + starts[2]
        let z = output.pointer(Element.self) + start
        if contiguous {
          for k in 0..<length { z[k] = c[k] != 0 ? a[k] : b[k] }
        } else {
          for k in 0..<length {
            z[k] = c[k * strides[0]] != 0 ? a[k * strides[1]] : b[k * strides[2]]
          }
        }
      }
    }
  }

  public func makeCPUKernel(_ context: KernelContext) throws -> any CPUKernel {
    let plan = try context.broadcastPlan(inputs: 3)
    return switch context.outputTypes[0].byteSize {
    case 1: Self.kernel(plan, UInt8.self)
    case 2: Self.kernel(plan, UInt16.self)
    case 4: Self.kernel(plan, UInt32.self)
    default: Self.kernel(plan, UInt64.self)
    }
  }
}
