/// What went wrong reading a Keras model, naming the file, layer or weight at fault.
public enum KerasError: Error, CustomStringConvertible, Sendable {
  /// The file or its config is not a Keras model Graft can read.
  case invalidModel(String)
  /// A layer's config or weights are wrong, or its class is not supported.
  case layer(name: String, className: String, String)
  /// Layers Graft will not import: Lambda and custom layers, listed all at once.
  case unsupportedLayers([(name: String, className: String)])
  /// Weights that do not fit the architecture, every mismatch listed.
  case weightMismatch([String])
  /// Any of the above, about the file at `path` (how the importer reports every error).
  indirect case file(path: String, KerasError)

  public var description: String {
    switch self {
    case .invalidModel(let message): message
    case .layer(let name, let className, let message): "layer '\(name)' (\(className)): \(message)"
    case .unsupportedLayers(let layers):
      "unsupported layers (Graft never runs Python code: rewrite them with built-in layers): "
        + layers.map { "'\($0.name)' (\($0.className))" }.joined(separator: ", ")
    case .weightMismatch(let problems):
      "the weights do not fit the architecture:\n"
        + problems.map { "  \($0)" }.joined(separator: "\n")
    case .file(let path, let error): "'\(path)': \(error)"
    }
  }
}
