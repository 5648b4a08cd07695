import GraftIR
import GraftONNX

/// Everything `graft inspect` reports about a model, computed once and rendered as text or JSON.
public struct ModelInspection: Sendable, Encodable {
  /// A graph input, output or cut point.
  public struct Value: Sendable, Encodable {
    public var name: String
    public var dtype: String?
    /// Fixed dims as integers, symbolic dims as strings, unknown dims as null; null when the rank
    /// is unknown.
    public var shape: [ShapeEntry]?
    /// For cut points: the node producing the value and its op type.
    public var node: String?
    public var op: String?

    enum CodingKeys: String, CodingKey { case name, dtype, shape, node, op }

    /// Unknown dtype and shape are written as null; `node` and `op` only for cut points.
    public func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(name, forKey: .name)
      try container.encode(dtype, forKey: .dtype)
      try container.encode(shape, forKey: .shape)
      try container.encodeIfPresent(node, forKey: .node)
      try container.encodeIfPresent(op, forKey: .op)
    }
  }

  /// One dim in JSON: an integer, a symbol string or null.
  public struct ShapeEntry: Sendable, Encodable {
    public var dim: Dim
    public func encode(to encoder: Encoder) throws {
      var container = encoder.singleValueContainer()
      switch dim {
      case .fixed(let n): try container.encode(n)
      case .symbol(let s): try container.encode(s)
      case .unknown: try container.encodeNil()
      }
    }
  }

  public struct OpCount: Sendable, Encodable {
    public var op: String
    public var count: Int
  }

  public struct Unsupported: Sendable, Encodable {
    public var op: String
    public var domain: String
    public var opset: Int
    public var nodes: [String]
  }

  public var path: String
  public var format: String
  public var producer: String
  public var producerVersion: String
  public var irVersion: Int?
  public var opsets: [String: Int]
  /// The file's free-form metadata (ONNX `metadata_props`; for Keras `keras_version`, `backend`,
  /// `keras_file`, `training_config`).
  public var metadata: [String: String]
  public var inputs: [Value]
  public var outputs: [Value]
  /// Op histogram, most frequent first.
  public var ops: [OpCount]
  /// Elements of all floating-point constants (the weights).
  public var parameters: Int
  /// Bytes of all constants.
  public var parameterBytes: Int
  /// FLOPs for one sample (symbolic leading input dims set to 1), a multiply-add counting 2; nil
  /// when some shape stays unknown.
  public var flopsPerSample: Int?
  public var cutPoints: [Value]
  public var unsupported: [Unsupported]

  enum CodingKeys: String, CodingKey {
    case path, format, producer
    case producerVersion = "producer_version"
    case irVersion = "ir_version"
    case opsets, metadata, inputs, outputs, ops, parameters
    case parameterBytes = "parameter_bytes"
    case flopsPerSample = "flops_per_sample"
    case cutPoints = "cut_points"
    case unsupported
  }

  /// Every key is always present; unknown values are null.
  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(path, forKey: .path)
    try container.encode(format, forKey: .format)
    try container.encode(producer, forKey: .producer)
    try container.encode(producerVersion, forKey: .producerVersion)
    try container.encode(irVersion, forKey: .irVersion)
    try container.encode(opsets, forKey: .opsets)
    try container.encode(metadata, forKey: .metadata)
    try container.encode(inputs, forKey: .inputs)
    try container.encode(outputs, forKey: .outputs)
    try container.encode(ops, forKey: .ops)
    try container.encode(parameters, forKey: .parameters)
    try container.encode(parameterBytes, forKey: .parameterBytes)
    try container.encode(flopsPerSample, forKey: .flopsPerSample)
    try container.encode(cutPoints, forKey: .cutPoints)
    try container.encode(unsupported, forKey: .unsupported)
  }

  /// Describes `model`, read from `path`.
  public init(model: Model, path: String) {
    let graph = model.graph
    self.path = path
    format = model.format.rawValue
    producer = model.producerName
    producerVersion = model.producerVersion
    irVersion = model.irVersion
    opsets = Dictionary(
      uniqueKeysWithValues: model.opsets.map { ($0.isEmpty ? "ai.onnx" : $0, $1) })
    metadata = model.metadata
    inputs = graph.inputs.map { Self.value($0.name, $0.type) }
    outputs = graph.outputs.map { Self.value($0.name, graph.type(of: $0.name) ?? $0.type) }
    ops = graph.opCounts.map { OpCount(op: $0, count: $1) }.sorted {
      ($0.count, $1.op) > ($1.count, $0.op)
    }
    parameters = graph.parameterCount
    parameterBytes = graph.constants.values.reduce(0) { $0 + $1.buffer.byteCount }
    flopsPerSample = Self.flopsPerSample(graph)
    var viewsOfValue: [String: [String]] = [:]
    for (name, view) in graph.views { viewsOfValue[view.value, default: []].append(name) }
    cutPoints = graph.nodes.flatMap { node in
      node.outputs.filter { !$0.isEmpty }.flatMap { output in
        let type = graph.type(of: output) ?? .unknown
        let names =
          [(output, type)]
          + (viewsOfValue[output] ?? []).sorted().map {
            ($0, Self.viewType(graph.views[$0]!, type))
          }
        return names.map { name, type in
          var value = Self.value(name, type)
          value.node = node.name
          value.op = node.opType
          return value
        }
      }
    }
    unsupported = model.unsupportedOperators.map {
      Unsupported(
        op: $0.opType, domain: $0.domain.isEmpty ? "ai.onnx" : $0.domain, opset: $0.opset,
        nodes: $0.nodes)
    }
  }

  static func value(_ name: String, _ type: ValueType) -> Value {
    Value(
      name: name, dtype: type.dtype?.rawValue,
      shape: type.shape?.map { ShapeEntry(dim: $0) }, node: nil, op: nil)
  }

  /// The type of a view (a Keras layer's output in Keras's layout) of an IR value of type `type`:
  /// unflattened, permuted, flattened back (see `InterfaceView`).
  static func viewType(_ view: InterfaceView, _ type: ValueType) -> ValueType {
    guard var shape = type.shape, let batch = shape.first else { return type }
    if let unflattened = view.unflattened { shape = [batch] + unflattened.map(Dim.fixed) }
    guard view.permutation.allSatisfy({ shape.indices.contains($0) }) else {
      return ValueType(type.dtype, nil)
    }
    shape = view.permutation.map { shape[$0] }
    if view.unflattened != nil {
      let features = shape.dropFirst().reduce(Optional(1)) { product, dim in
        product.flatMap { product in dim.value.map { product * $0 } }
      }
      shape = [batch, features.map(Dim.fixed) ?? .unknown]
    }
    return ValueType(type.dtype, shape)
  }

  /// FLOPs with every symbol that leads an input's shape (the batch) bound to 1.
  static func flopsPerSample(_ graph: Graph) -> Int? {
    guard graph.unsupportedNodes.isEmpty else { return nil }
    var symbols: [String: Int] = [:]
    for input in graph.inputs {
      if case .symbol(let name)? = input.type.shape?.first { symbols[name] = 1 }
    }
    guard let bound = try? graph.binding(symbols) else { return nil }
    return bound.flops()
  }
}
