/// The element-type sets of ONNX's type constraints, restricted to the IR's dtypes.
public enum ElementTypes {
  public static let floatingPoint: Set<DType> = [.float16, .float32, .float64]
  /// Floating point and the signed integers (Neg, Relu).
  public static let signed: Set<DType> = floatingPoint.union([.int8, .int32, .int64])
  /// Every dtype but bool.
  public static let numeric: Set<DType> = signed.union([.uint8])
  public static let all = Set(DType.allCases)

  /// Throws unless `dtype` is unknown or one of `allowed`; `role` names the input in the message.
  public static func require(_ dtype: DType?, in allowed: Set<DType>, _ role: String) throws {
    guard let dtype, !allowed.contains(dtype) else { return }
    let names = DType.allCases.filter(allowed.contains).map(\.rawValue)
    let list =
      names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " or " + names.last!
    throw GraphError.invalidOperator("\(role) has element type \(dtype.rawValue); expected \(list)")
  }

  /// Throws unless every known dtype of `types` is the same; `roles` names them in the message.
  static func requireSame(_ types: [ValueType], roles: [String]) throws {
    let known = zip(types, roles).compactMap { type, role in type.dtype.map { (role, $0) } }
    guard let first = known.first else { return }
    for (role, dtype) in known.dropFirst() where dtype != first.1 {
      throw GraphError.invalidOperator(
        "\(first.0) is \(first.1.rawValue) but \(role) is \(dtype.rawValue); they must match")
    }
  }
}

/// An elementwise operator whose constant evaluation is a scalar function of its operands, applied
/// with NumPy broadcasting.
///
/// Operands are read as `Int64` when every input is an integer or bool tensor (bools as 0 and 1)
/// and as `Double` otherwise; the result is converted to the inferred output dtype, integers
/// wrapping as in C. Folding is limited to `ElementwiseEvaluation.maxElements` elements so that
/// only shape arithmetic and small constant subgraphs fold, never weights.
public protocol ElementwiseFoldable: ConstantFoldable {
  /// The result for integer operands, or nil where it is undefined (integer division by zero):
  /// the node is then left for the runtime.
  static func integer(_ operands: [Int64]) -> Int64?
  /// The result for floating-point (or mixed) operands.
  static func floating(_ operands: [Double]) -> Double
}

extension ElementwiseFoldable {
  public func fold(_ context: InferenceContext) throws -> [Tensor]? {
    guard let constants = context.allConstants else { return nil }
    let inputs = constants.compactMap { $0 }
    guard inputs.count == constants.count, let dtype = try inferTypes(context).first?.dtype else {
      return nil
    }
    let result = ElementwiseEvaluation.evaluate(
      inputs, into: dtype, integer: Self.integer, floating: Self.floating)
    return result.map { [$0] }
  }
}

/// Broadcasting evaluation of small constant tensors, for constant folding.
enum ElementwiseEvaluation {
  /// The largest tensor, input or output, that folding computes.
  static let maxElements = 4096

  /// Applies `integer` or `floating` to each broadcast tuple of elements of `inputs`.
  ///
  /// - Returns: nil when a tensor is too large, the shapes do not broadcast, or `integer`
  ///   declines an element.
  static func evaluate(
    _ inputs: [Tensor], into dtype: DType, integer: ([Int64]) -> Int64?,
    floating: ([Double]) -> Double
  ) -> Tensor? {
    guard inputs.allSatisfy({ $0.count <= maxElements }),
      let shape = (try? ShapeRules.broadcast(inputs.map(\.dims)))?.fixedSizes,
      shape.reduce(1, *) <= maxElements
    else { return nil }
    let sources = sourceIndices(of: inputs.map(\.shape), broadcastTo: shape)
    let integerInputs = inputs.compactMap { $0.integers() }
    if integerInputs.count == inputs.count {
      var results: [Int64] = []
      results.reserveCapacity(sources.count)
      for indices in sources {
        guard let value = integer(zip(integerInputs, indices).map { $0[$1] }) else { return nil }
        results.append(value)
      }
      return tensor(results, dtype: dtype, shape: shape)
    }
    let doubleInputs = inputs.map { $0.doubles() }
    let results = sources.map { indices in floating(zip(doubleInputs, indices).map { $0[$1] }) }
    return Tensor.converting(results, to: dtype, shape: shape)
  }

  /// For each output element in row-major order, the flat index it reads in each input.
  static func sourceIndices(of shapes: [[Int]], broadcastTo shape: [Int]) -> [[Int]] {
    let rank = shape.count
    let strides = shapes.map { inputShape in
      var strides = [Int](repeating: 0, count: rank)
      var stride = 1
      for axis in inputShape.indices.reversed() {
        if inputShape[axis] != 1 { strides[axis + rank - inputShape.count] = stride }
        stride *= inputShape[axis]
      }
      return strides
    }
    return (0..<shape.reduce(1, *)).map { flat in
      var remainder = flat
      var indices = [Int](repeating: 0, count: shapes.count)
      for axis in (0..<rank).reversed() {
        let coordinate = remainder % shape[axis]
        remainder /= shape[axis]
        for input in indices.indices { indices[input] += coordinate * strides[input][axis] }
      }
      return indices
    }
  }

  /// A tensor of `dtype` from integer results, narrowing integers by wrapping (two's complement).
  static func tensor(_ values: [Int64], dtype: DType, shape: [Int]) -> Tensor {
    switch dtype {
    case .int64: Tensor(values, shape: shape)
    case .int32: Tensor(values.map { Int32(truncatingIfNeeded: $0) }, shape: shape)
    case .int8: Tensor(values.map { Int8(truncatingIfNeeded: $0) }, shape: shape)
    case .uint8: Tensor(values.map { UInt8(truncatingIfNeeded: $0) }, shape: shape)
    case .bool: Tensor(values.map { $0 != 0 }, shape: shape)
    case .float16, .float32, .float64:
      Tensor.converting(values.map(Double.init), to: dtype, shape: shape)
    }
  }
}
