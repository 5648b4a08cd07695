import GraftIR

extension ONNXAttribute {
  /// An integer attribute, nil (left out) when it equals the spec default.
  static func int(_ value: Int, default defaultValue: Int) -> ONNXAttribute? {
    value == defaultValue ? nil : .int(value)
  }

  /// A float attribute, nil (left out) when it equals the spec default.
  static func float(_ value: Float, default defaultValue: Float) -> ONNXAttribute? {
    value == defaultValue ? nil : .float(value)
  }

  /// A 0/1 attribute, nil (left out) when it equals the spec default.
  static func flag(_ value: Bool, default defaultValue: Bool = false) -> ONNXAttribute? {
    value == defaultValue ? nil : .int(value ? 1 : 0)
  }

  /// A string attribute naming one case of an enumeration, nil when it is the spec default.
  static func choice<E: RawRepresentable & Equatable>(
    _ value: E, default defaultValue: E
  ) -> ONNXAttribute? where E.RawValue == String {
    value == defaultValue ? nil : .string(value.rawValue)
  }
}

extension ONNXExportContext {
  /// The node written as itself with `attributes`, the nil ones (absent, or equal to the spec
  /// default) left out, so that an attribute a later opset added is only written when it is set.
  func onnxNode(attributes: [String: ONNXAttribute?], inputs: [String]? = nil) -> ONNXNode {
    onnxNode(attributes.compactMapValues { $0 }, inputs: inputs)
  }

  /// Throws unless the opset is at least `minimum`, when `used` says that `feature` is in use.
  func requireOpset(
    _ minimum: Int, for feature: @autoclosure () -> String, when used: Bool = true
  ) throws {
    guard used, opset < minimum else { return }
    throw unsupported("\(feature()) needs opset \(minimum); use --opset \(minimum) or newer")
  }

  /// The integers of input `index` for an opset where they are still the attribute `name` (input
  /// since opset `becameInput`): nil when the input is omitted.
  ///
  /// - Throws: when the input is present but not a constant.
  func attributeEraIntegers(_ index: Int, name: String, becameInput: Int) throws -> [Int]? {
    guard hasInput(index) else { return nil }
    guard let values = constantIntegers(index) else {
      throw unsupported(
        "\(node.opType) needs constant \(name) before opset \(becameInput); use --opset "
          + "\(becameInput) or newer")
    }
    return values
  }

  /// The element type of input `index`, which a decomposition's constants take.
  ///
  /// - Throws: when the type is not known.
  func elementType(_ index: Int) throws -> DType {
    guard let dtype = inputType(index)?.dtype else {
      throw unsupported(
        "\(node.opType) is written as other ops here, whose constants need the element type of "
          + "input \(index), which is not known")
    }
    return dtype
  }

  /// A new scalar constant holding `value` as `dtype`; returns its name.
  mutating func scalar(_ value: Double, _ dtype: DType, role: String) -> String {
    addConstant(Tensor.converting([value], to: dtype, shape: []), role: role)
  }

  /// A new 1-D int64 constant; returns its name.
  mutating func integers(_ values: [Int], role: String) -> String {
    addConstant(Tensor(values.map(Int64.init), shape: [values.count]), role: role)
  }

  /// Appends a node of a decomposition to `nodes` and returns its first output: `output` when
  /// given (one of the IR node's outputs), else a new value named after `opType`.
  mutating func emit(
    _ opType: String, _ inputs: [String], into nodes: inout [ONNXNode], output: String? = nil,
    attributes: [String: ONNXAttribute] = [:]
  ) -> String {
    let result = output ?? newValue(opType)
    nodes.append(
      extraNode(opType, role: opType, inputs: inputs, outputs: [result], attributes: attributes))
    return result
  }
}
