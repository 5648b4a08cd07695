/// The static type of a graph value: element type and shape, each possibly unknown.
///
/// `dtype == nil` or `shape == nil` (unknown rank) only occur past operators whose output types
/// cannot be inferred; every value of a fully supported graph with known input ranks has both.
public struct ValueType: Hashable, Sendable, CustomStringConvertible {
  public var dtype: DType?
  public var shape: [Dim]?

  public init(_ dtype: DType?, _ shape: [Dim]?) {
    self.dtype = dtype
    self.shape = shape
  }

  /// A value of unknown element type and rank.
  public static let unknown = ValueType(nil, nil)

  public var rank: Int? { shape?.count }

  public var description: String {
    "\(dtype?.rawValue ?? "?")\(shape?.shapeDescription ?? "[?]")"
  }
}

/// A named graph input or output with its type.
public struct ValueInfo: Hashable, Sendable {
  public var name: String
  public var type: ValueType

  public init(name: String, type: ValueType) {
    self.name = name
    self.type = type
  }
}
