import GraftIR

extension Constant: ONNXImportable {
  /// Reads whichever one of the value attributes is set: `value` (a tensor), `value_float(s)` as
  /// float32 and `value_int(s)` as int64, scalars for the singular forms and 1-D for the lists.
  public static func fromONNX(_ node: inout ONNXNode) throws -> Constant {
    let present = node.attributes.keys.filter { $0 == "sparse_value" || $0.hasPrefix("value") }
    try require(
      present.count == 1,
      "Constant: exactly one value attribute must be set, got \(present.sorted())")
    switch present[0] {
    case "value":
      guard let tensor = try node.tensor("value") else { break }
      return Constant(value: tensor)
    case "value_float":
      if let value = try node.float("value_float") { return Constant(value: Tensor(scalar: value)) }
    case "value_floats":
      if let values = try node.floats("value_floats") {
        return Constant(value: Tensor(values, shape: [values.count]))
      }
    case "value_int":
      if let value = try node.int("value_int") {
        return Constant(value: Tensor(scalar: Int64(value)))
      }
    case "value_ints":
      if let values = try node.ints("value_ints") {
        return Constant(value: Tensor(values.map(Int64.init), shape: [values.count]))
      }
    case "value_string", "value_strings":
      throw GraphError.invalidOperator(
        "Constant: string tensors are not supported ('\(present[0])')")
    case "sparse_value":
      throw GraphError.invalidOperator(
        "Constant: sparse tensors are not supported ('sparse_value'); store the value dense")
    default:
      break
    }
    throw GraphError.invalidOperator("Constant: unknown value attribute '\(present[0])'")
  }
}

extension Constant: ONNXExportable {
  public func toONNX(_ context: inout ONNXExportContext) throws -> [ONNXNode] {
    [context.onnxNode(["value": .tensor(value)])]
  }
}
