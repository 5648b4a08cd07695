import Dispatch
import GraftIR

/// A graph compiled for one set of input shapes: every shape fixed, kernels built, memory planned.
final class ExecutionPlan: @unchecked Sendable {
  /// Where a node input or output lives.
  enum Location {
    case arena(offset: Int)
    case constant(Tensor)
  }

  struct Step {
    var node: String
    var opType: String
    var kernel: any CPUKernel
    var inputs: [(location: Location, dtype: DType, shape: [Int])?]
    var outputs: [(offset: Int, dtype: DType, shape: [Int])]
  }

  let steps: [Step]
  let inputs: [(name: String, offset: Int, dtype: DType, shape: [Int])]
  let outputs: [(name: String, location: Location, dtype: DType, shape: [Int])]
  let arena: UnsafeMutableRawPointer
  let arenaBytes: Int

  /// Compiles `prepared` (already cut and simplified) for inputs of the given shapes.
  init(prepared: Graph, inputShapes: [String: [Int]]) throws {
    var graph = prepared
    for index in graph.inputs.indices {
      let input = graph.inputs[index]
      guard let shape = inputShapes[input.name] else {
        throw RuntimeError.badInput("input '\(input.name)' is missing")
      }
      graph.inputs[index].type = ValueType(input.type.dtype, shape.map(Dim.fixed))
    }
    graph.types = [:]
    try graph.foldConstants()

    // Every value a step reads or writes, with its fixed type and lifetime.
    var valueIndex: [String: Int] = [:]
    var lifetimes: [MemoryPlan.Lifetime] = []
    var valueTypes: [(DType, [Int])] = []
    func fixedType(_ name: String) throws -> (DType, [Int]) {
      guard let type = graph.type(of: name), let dtype = type.dtype,
        let shape = type.shape?.fixedSizes
      else {
        throw RuntimeError.dynamicShape(
          "the shape of '\(name)' depends on data (\(graph.type(of: name) ?? .unknown)); "
            + "Graft runs graphs whose shapes follow from the input shapes")
      }
      return (dtype, shape)
    }
    func define(_ name: String, at step: Int) throws {
      let (dtype, shape) = try fixedType(name)
      valueIndex[name] = lifetimes.count
      lifetimes.append(.init(bytes: shape.reduce(1, *) * dtype.byteSize, first: step, last: step))
      valueTypes.append((dtype, shape))
    }
    for input in graph.inputs { try define(input.name, at: -1) }
    for (step, node) in graph.nodes.enumerated() {
      for input in node.inputs where !input.isEmpty {
        if let index = valueIndex[input] { lifetimes[index].last = step }
      }
      for output in node.outputs where !output.isEmpty { try define(output, at: step) }
    }
    for output in graph.outputs {
      if let index = valueIndex[output.name] { lifetimes[index].last = graph.nodes.count }
    }
    let memory = MemoryPlan(lifetimes)
    arenaBytes = memory.arenaBytes
    arena = UnsafeMutableRawPointer.allocate(byteCount: max(arenaBytes, 1), alignment: 64)

    func location(_ name: String) throws -> (location: Location, dtype: DType, shape: [Int]) {
      if let constant = graph.constants[name] {
        return (.constant(constant), constant.dtype, constant.shape)
      }
      guard let index = valueIndex[name] else {
        throw RuntimeError.badInput("value '\(name)' is not computed by the plan")
      }
      return (.arena(offset: memory.offsets[index]), valueTypes[index].0, valueTypes[index].1)
    }
    steps = try graph.nodes.map { node in
      guard let executable = node.op as? any CPUExecutable else {
        throw RuntimeError.missingKernels([node.opType])
      }
      let inputs = try node.inputs.map { $0.isEmpty ? nil : try location($0) }
      let outputs = try node.outputs.map { name -> (offset: Int, dtype: DType, shape: [Int]) in
        guard !name.isEmpty, case .arena(let offset) = try location(name).location else {
          throw RuntimeError.kernel(node: node.name, "unnamed outputs are not supported")
        }
        let (dtype, shape) = try fixedType(name)
        return (offset, dtype, shape)
      }
      let context = KernelContext(
        nodeName: node.name, inputShapes: inputs.map { $0?.shape },
        inputTypes: inputs.map { $0?.dtype },
        constants: node.inputs.map { graph.constants[$0] }, outputShapes: outputs.map(\.shape),
        outputTypes: outputs.map(\.dtype))
      let kernel: any CPUKernel
      do {
        kernel = try executable.makeCPUKernel(context)
      } catch let error as GraphError {
        throw RuntimeError.kernel(node: node.name, "\(error)")
      }
      return Step(
        node: node.name, opType: node.opType, kernel: kernel, inputs: inputs, outputs: outputs)
    }
    inputs = try graph.inputs.map { input in
      let (dtype, shape) = try fixedType(input.name)
      return (input.name, memory.offsets[valueIndex[input.name]!], dtype, shape)
    }
    outputs = try graph.outputs.map { output in
      let (location, dtype, shape) = try location(output.name)
      return (output.name, location, dtype, shape)
    }
  }

  deinit { arena.deallocate() }

  func tensor(_ location: Location, _ dtype: DType, _ shape: [Int]) -> RuntimeTensor {
    switch location {
    case .arena(let offset): RuntimeTensor(dtype: dtype, shape: shape, data: arena + offset)
    case .constant(let tensor):
      RuntimeTensor(
        dtype: dtype, shape: shape,
        data: UnsafeMutableRawPointer(mutating: tensor.buffer.baseAddress))
    }
  }

  /// Runs the steps on `values` (one tensor per graph input) and returns the graph outputs.
  /// With `opTimes`, adds each step's wall time in milliseconds under its op type.
  func run(
    _ values: [String: Tensor], pool: ThreadPool,
    opTimes: UnsafeMutablePointer<[String: Double]>? = nil
  ) throws -> [String: Tensor] {
    for input in inputs {
      guard let value = values[input.name] else {
        throw RuntimeError.badInput("input '\(input.name)' is missing")
      }
      value.buffer.withUnsafeBytes { bytes in
        (arena + input.offset).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
      }
    }
    for step in steps {
      let inputs = step.inputs.map { $0.map { tensor($0.location, $0.dtype, $0.shape) } }
      let outputs = step.outputs.map { tensor(.arena(offset: $0.offset), $0.dtype, $0.shape) }
      let start = opTimes == nil ? 0 : DispatchTime.now().uptimeNanoseconds
      try step.kernel.run(inputs: inputs, outputs: outputs, pool: pool)
      if let opTimes {
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        opTimes.pointee[step.opType, default: 0] += elapsed
      }
    }
    var results: [String: Tensor] = [:]
    for output in outputs {
      let source = tensor(output.location, output.dtype, output.shape)
      let buffer = TensorBuffer(byteCount: source.byteCount) { out in
        if source.byteCount > 0 {
          out.baseAddress!.copyMemory(from: source.data, byteCount: source.byteCount)
        }
      }
      results[output.name] = Tensor(dtype: output.dtype, shape: output.shape, buffer: buffer)
    }
    return results
  }
}
