import GraftIR

/// Converts one Keras layer class into IR nodes. Conformances live in `Layers/<Layer>.swift` and
/// are listed in `KerasLayers.all`.
public protocol KerasLayerConverter {
  /// The Keras class names this converter reads (e.g. `["Conv2D", "Convolution2D"]`).
  static var classNames: [String] { get }
  /// Adds the nodes of one call of the layer and returns its output tensors.
  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor]
  /// Whether this layer's config is one the converter reads (e.g. a TFOpLambda's function), so
  /// that every unsupported layer is listed at once before conversion starts.
  static func supports(_ layer: KerasLayerConfig) -> Bool
}

extension KerasLayerConverter {
  public static func supports(_ layer: KerasLayerConfig) -> Bool { true }
}

/// One call of a layer as a converter sees it: config, inputs, weights and the graph being built.
public struct KerasLayerCall {
  public let layer: KerasLayerConfig
  public let inputs: [KerasTensor]
  /// The layer's weights in Keras's order (e.g. kernel then bias), with their names.
  public let weights: [(name: String, tensor: Tensor)]
  public var builder: KerasGraphBuilder
  /// The base name of this call's values and nodes (the layer name, or `layer@k` for call k > 0).
  public let name: String
  /// 2 or 3: the Keras that wrote the file.
  public let kerasMajorVersion: Int
  /// Where weights that do not fit are recorded; shared by every call of one assembly.
  let weightProblems: WeightProblems

  /// The call's non-tensor keyword arguments (see `KerasLayerConfig.callKeywords`).
  public var keywords: [String: JSONValue] = [:]
  /// The call's positional arguments as written by Keras 3 (see `KerasLayerConfig.callArguments`).
  public var arguments: [JSONValue] = []

  public var config: JSONValue { layer.config }

  /// An error about this layer.
  public func error(_ message: String) -> KerasError {
    KerasError.layer(name: layer.name, className: layer.className, message)
  }

  /// The single input of a one-input layer.
  public func singleInput() throws -> KerasTensor {
    guard inputs.count == 1 else { throw error("expects 1 input, got \(inputs.count)") }
    return inputs[0]
  }

  /// Weight `index`, checked to have `shape` when given.
  ///
  /// A missing or mis-shaped weight whose expected shape is known is recorded in `weightProblems` and
  /// replaced by zeros, so that assembly goes on and one error lists every weight that does not
  /// fit (Keras itself stops at the first, or loads silently).
  public func weight(_ index: Int, role: String, shape: [Int]? = nil) throws -> Tensor {
    let problem: String
    if index < weights.count {
      let tensor = weights[index].tensor
      guard let shape, tensor.shape != shape else { return tensor }
      problem = "\(role) '\(weights[index].name)' has shape \(tensor.shape), expected \(shape)"
    } else {
      problem = "has \(weights.count) weights; its \(role) (weight \(index)) is missing"
    }
    guard let shape else { throw error(problem) }
    weightProblems.messages.append("\(error(problem))")
    return Tensor.converting(
      [Double](repeating: 0, count: shape.reduce(1, *)), to: .float32, shape: shape)
  }

  // MARK: Config fields

  public func int(_ key: String, default value: Int? = nil) throws -> Int {
    if let field = config[key], !field.isNull {
      guard let int = field.int else { throw error("'\(key)' should be an integer") }
      return int
    }
    guard let value else { throw error("config has no '\(key)'") }
    return value
  }

  public func double(_ key: String, default value: Double? = nil) throws -> Double {
    if let field = config[key], !field.isNull {
      guard let double = field.double else { throw error("'\(key)' should be a number") }
      return double
    }
    guard let value else { throw error("config has no '\(key)'") }
    return value
  }

  public func bool(_ key: String, default value: Bool) throws -> Bool {
    guard let field = config[key], !field.isNull else { return value }
    guard let bool = field.bool else { throw error("'\(key)' should be true or false") }
    return bool
  }

  public func string(_ key: String, default value: String? = nil) throws -> String {
    if let field = config[key], !field.isNull {
      guard let string = field.string else { throw error("'\(key)' should be a string") }
      return string
    }
    guard let value else { throw error("config has no '\(key)'") }
    return value
  }

  /// An int tuple such as `kernel_size`: a list of `rank` ints, or one int repeated.
  public func ints(_ key: String, rank: Int, default value: [Int]? = nil) throws -> [Int] {
    guard let field = config[key], !field.isNull else {
      guard let value else { throw error("config has no '\(key)'") }
      return value
    }
    if let int = field.int { return Array(repeating: int, count: rank) }
    guard let items = field.array?.compactMap(\.int), items.count == field.array?.count,
      items.count == rank
    else { throw error("'\(key)' should be \(rank) integers, got \(field)") }
    return items
  }

  /// `data_format` is `channels_last` (the default) or `channels_first`.
  public func channelsLast() throws -> Bool {
    switch try string("data_format", default: "channels_last") {
    case "channels_last": return true
    case "channels_first": return false
    case let other: throw error("unknown data_format '\(other)'")
    }
  }

  // MARK: Building

  /// Adds a node whose output is `name/<suffix>`, or `name/<op type>` (the assembler then names
  /// the call's final output `name`).
  @discardableResult
  public mutating func node(_ op: any Operator, _ inputs: [String], suffix: String? = nil) throws
    -> String
  {
    try builder.node(op, inputs, output: "\(name)/\(suffix ?? op.opType)")
  }

  /// Adds weight tensor `tensor` as a constant named `name/<role>`.
  public mutating func constant(_ tensor: Tensor, role: String) -> String {
    builder.constant(tensor, name: "\(name)/\(role)")
  }
}

/// Messages about weights that do not fit their layers, collected over one assembly so that one
/// error lists them all. Assembly runs on one thread.
final class WeightProblems {
  var messages: [String] = []
}
