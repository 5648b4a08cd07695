import GraftIR

/// Errors building or running a session. Each names the node or value at fault.
public enum RuntimeError: Error, CustomStringConvertible {
  /// The graph uses ops the runtime has no kernel for (all listed).
  case missingKernels([String])
  /// A node's kernel does not handle this combination of types or attributes.
  case unsupportedKernel(node: String, String)
  /// A kernel failed at build or run time.
  case kernel(node: String, String)
  /// An input was missing, unexpected, or of the wrong type or shape.
  case badInput(String)
  /// A value's shape depends on data and is not known before running.
  case dynamicShape(String)

  public var description: String {
    switch self {
    case .missingKernels(let ops):
      "no CPU kernel for: " + ops.joined(separator: ", ")
    case .unsupportedKernel(let node, let message), .kernel(let node, let message):
      "node '\(node)': \(message)"
    case .badInput(let message), .dynamicShape(let message):
      message
    }
  }
}
