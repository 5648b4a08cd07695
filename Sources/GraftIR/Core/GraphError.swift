/// Errors found while building, typing, verifying or transforming a graph.
public enum GraphError: Error, Equatable, CustomStringConvertible {
  /// An operator's attributes or input types break its specification.
  case invalidOperator(String)
  /// The graph's structure is broken: undefined or duplicate values, cycles, missing outputs.
  case invalidGraph(String)
  /// An error raised while handling one node, with that node's name and op type.
  indirect case atNode(name: String, opType: String, GraphError)
  /// Several independent errors, reported together.
  case many([GraphError])

  public var description: String {
    switch self {
    case .invalidOperator(let message), .invalidGraph(let message): message
    case .atNode(let name, let opType, let error): "node '\(name)' (\(opType)): \(error)"
    case .many(let errors): errors.map(\.description).joined(separator: "\n")
    }
  }
}

/// Throws `GraphError.invalidOperator(message)` unless `condition` holds.
@inline(__always)
public func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
  if !condition { throw GraphError.invalidOperator(message()) }
}
