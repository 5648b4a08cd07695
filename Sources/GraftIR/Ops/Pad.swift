/// Pads (or, with negative pads, crops) a tensor along some or all of its axes.
///
/// Inputs: data, pads (int64 `[x1_begin, x2_begin, …, x1_end, x2_end, …]`, one begin and one end
/// per padded axis), optional constant_value (a scalar of data's type, default 0) and optional
/// axes (int64, the padded axes; default every axis). Each padded axis grows to
/// `in + begin + end`. `mode` fills the new cells with constant_value (`constant`), the input
/// mirrored without repeating the edge (`reflect`), the edge value repeated (`edge`), or the
/// input wrapped around (`wrap`).
public struct Pad: DataMovementOperator, Hashable {
  public static let opType = "Pad"

  public enum Mode: String, Sendable, Hashable, CaseIterable {
    case constant, reflect, edge, wrap
  }

  public var mode: Mode

  public init(mode: Mode = .constant) {
    self.mode = mode
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let x = try context.type(0)
    let pads = try context.type(1)
    try require(
      pads.dtype == nil || pads.dtype == .int64,
      "pads should be int64, got \(pads.dtype?.rawValue ?? "")")
    if context.hasInput(2), let value = context.inputTypes[2] {
      try require(
        value.dtype == nil || x.dtype == nil || value.dtype == x.dtype,
        "constant_value (\(value.dtype?.rawValue ?? "")) should have the type of data "
          + "(\(x.dtype?.rawValue ?? ""))")
      try require(
        ShapeRules.elementCount(value.shape).map { $0 == 1 } ?? true,
        "constant_value should hold one value, got \(value.shape?.shapeDescription ?? "")")
    }
    guard var shape = x.shape else { return [ValueType(x.dtype, nil)] }
    var axes = Array(shape.indices)
    if context.hasInput(3) {
      guard let values = context.constant(3)?.integers() else {
        return [ValueType(x.dtype, Array(repeating: .unknown, count: shape.count))]
      }
      axes = try values.map { try ShapeRules.axis(Int($0), rank: shape.count) }
      try require(Set(axes).count == axes.count, "axes \(values) repeat an axis")
    }
    guard let amounts = context.shapeValue(1) else {
      for axis in axes { shape[axis] = .unknown }
      return [ValueType(x.dtype, shape)]
    }
    try require(
      amounts.count == 2 * axes.count,
      "pads has \(amounts.count) values; \(2 * axes.count) expected (a begin and an end for each "
        + "of \(axes.count) axes)")
    for (index, axis) in axes.enumerated() {
      let begin = amounts[index]
      let end = amounts[index + axes.count]
      if begin == .fixed(0) && end == .fixed(0) { continue }
      guard let size = shape[axis].value, let begin = begin.value, let end = end.value else {
        shape[axis] = .unknown
        continue
      }
      try require(
        size + begin + end >= 0,
        "pads \(begin), \(end) crop more than the \(size) cells of axis \(axis)")
      shape[axis] = .fixed(size + begin + end)
    }
    return [ValueType(x.dtype, shape)]
  }
}
