import GraftIR

extension ONNXNode {
  /// Squeeze and Unsqueeze before opset 13 held `axes` as an attribute; it becomes the constant
  /// int64 input 1, and from opset 13 on the attribute is rejected.
  ///
  /// - Parameter required: whether `axes` must be given (Unsqueeze), as the attribute or the input.
  mutating func moveAxesToInput(opType: String, required: Bool) throws {
    let axes = try ints("axes")
    if opset >= 13 {
      try require(
        axes == nil, "\(opType): from opset 13 on 'axes' is an input, not an attribute")
      try require(!required || hasInput(1), "\(opType): input 'axes' is required")
    } else if let axes {
      setConstantInput(1, Tensor(axes.map(Int64.init), shape: [axes.count]), role: "axes")
    } else {
      try require(!required, "\(opType): attribute 'axes' is required")
    }
  }
}
