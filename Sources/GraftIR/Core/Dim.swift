/// One dimension of a value's shape: a fixed size, a named symbol (such as the batch), or unknown.
///
/// Unknown dims appear past operators whose shapes cannot be inferred (unsupported ops, shapes that
/// depend on run-time data). JSON spells them as an integer, a string and `null`.
public enum Dim: Hashable, Sendable, CustomStringConvertible {
  case fixed(Int)
  case symbol(String)
  case unknown

  /// The size, when fixed.
  public var value: Int? {
    if case .fixed(let n) = self { return n }
    return nil
  }

  public var description: String {
    switch self {
    case .fixed(let n): "\(n)"
    case .symbol(let s): s
    case .unknown: "?"
    }
  }
}

extension Dim: ExpressibleByIntegerLiteral {
  public init(integerLiteral value: Int) { self = .fixed(value) }
}

extension Array where Element == Dim {
  /// The sizes, when every dim is fixed.
  public var fixedSizes: [Int]? {
    var sizes: [Int] = []
    sizes.reserveCapacity(count)
    for dim in self {
      guard let n = dim.value else { return nil }
      sizes.append(n)
    }
    return sizes
  }

  /// `[1, 3, H, ?]` style text.
  public var shapeDescription: String { "[" + map(\.description).joined(separator: ", ") + "]" }
}
