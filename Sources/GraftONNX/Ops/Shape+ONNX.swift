import GraftIR

extension Shape: ONNXImportable {
  /// `start` and `end` arrived in opset 15; earlier opsets take every dim.
  public static func fromONNX(_ node: inout ONNXNode) throws -> Shape {
    Shape(start: try node.int("start", default: 0), end: try node.int("end"))
  }
}
