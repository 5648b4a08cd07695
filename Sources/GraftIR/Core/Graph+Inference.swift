extension Graph {
  /// Types every node output by running each operator's inference in order.
  ///
  /// Declared output types (such as ONNX `value_info`) are only hints: the inferred type wins, except
  /// that an inferred unknown dim keeps a declared fixed or symbolic one. Errors from every node are
  /// collected and thrown together as `GraphError.many`, each with its node's name and op type.
  /// Consumers of a `Constant` node see its value, as they would an initializer's (PyTorch writes
  /// Resize scales as a Constant node, and their values decide the output shape).
  public mutating func inferTypes() throws {
    var errors: [GraphError] = []
    var constantOutputs: [String: Tensor] = [:]
    shapeValues = [:]
    for input in inputs { types[input.name] = input.type }
    for node in nodes {
      let context = context(for: node, known: constantOutputs)
      if let constant = node.op as? Constant, let output = node.outputs.first, !output.isEmpty {
        constantOutputs[output] = constant.value
      }
      let inferred: [ValueType]
      do {
        inferred = try node.withContext {
          let result = try node.op.inferTypes(context)
          try require(
            result.count == node.outputs.count,
            "inferred \(result.count) outputs for \(node.outputs.count) declared")
          return result
        }
      } catch let error as GraphError {
        errors.append(error)
        inferred = Array(repeating: .unknown, count: node.outputs.count)
      }
      for (name, type) in zip(node.outputs, inferred) where !name.isEmpty {
        types[name] = Self.merge(inferred: type, declared: types[name])
      }
      if let propagating = node.op as? any ShapeValuePropagating {
        for (name, values) in zip(node.outputs, propagating.shapeValues(context)) {
          if let values, !name.isEmpty { shapeValues[name] = values }
        }
      }
    }
    for index in outputs.indices {
      if let type = type(of: outputs[index].name) {
        outputs[index].type = Self.merge(inferred: type, declared: outputs[index].type)
      }
    }
    if errors.count == 1 { throw errors[0] }
    if !errors.isEmpty { throw GraphError.many(errors) }
  }

  /// Combines an inferred type with a declared one, preferring what is known.
  static func merge(inferred: ValueType, declared: ValueType?) -> ValueType {
    guard let declared else { return inferred }
    let dtype = inferred.dtype ?? declared.dtype
    guard let inferredShape = inferred.shape else { return ValueType(dtype, declared.shape) }
    guard let declaredShape = declared.shape, declaredShape.count == inferredShape.count else {
      return ValueType(dtype, inferredShape)
    }
    let shape = zip(inferredShape, declaredShape).map { inferred, declared in
      inferred == .unknown ? declared : inferred
    }
    return ValueType(dtype, shape)
  }

  /// Floating-point operations of one run with the current types, or nil when some shape is not
  /// fixed or some op's cost is unknown.
  public func flops() -> Int? {
    var total = 0
    for node in nodes {
      let outputs = node.outputs.map { type(of: $0) ?? .unknown }
      guard let count = node.op.flops(context(for: node), outputs: outputs) else { return nil }
      let (sum, overflow) = total.addingReportingOverflow(count)
      if overflow { return nil }
      total = sum
    }
    return total
  }

  /// This graph with every symbolic dim of the inputs replaced by a fixed size, types re-inferred.
  ///
  /// Used for per-sample figures (`symbols` maps the batch symbol to 1) and for runs at a known
  /// batch size.
  public func binding(_ symbols: [String: Int]) throws -> Graph {
    var bound = self
    bound.types = [:]
    for index in bound.inputs.indices {
      guard let shape = bound.inputs[index].type.shape else { continue }
      bound.inputs[index].type.shape = shape.map { dim in
        if case .symbol(let name) = dim, let size = symbols[name] { return .fixed(size) }
        return dim
      }
    }
    try bound.inferTypes()
    return bound
  }
}
