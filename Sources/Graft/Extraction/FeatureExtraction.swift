import Foundation

/// What `graft extract` is asked to do.
public struct ExtractionOptions: Sendable {
  public var model: String
  /// The architecture of a Keras weights-only model file.
  public var config: String?
  /// An image folder, a `path,label` CSV, or an array file (`.npy`, `file.h5:/name`).
  public var data: String
  /// For array data: integer arrays of one label per row (same kinds of file), one per label
  /// column, as `LabelArray.parse` reads them (`SPEC`, or `NAME=SPEC` each for several).
  public var labels: [String]
  /// The cut points, each a value, node or Keras layer name.
  public var layers: [String]
  /// The cache to write.
  public var output: String
  public var preprocessing: PreprocessingOptions
  public var pool: FeaturePooling
  /// float32, or float16 for a cache half the size.
  public var dtype: DType
  public var batchSize: Int
  /// Threads for the trunk; all cores when nil.
  public var threads: Int?
  /// Continue the partial cache at `output` instead of refusing to overwrite it.
  public var resume: Bool
  /// The K-th (1-based) of N contiguous slices of the inputs.
  public var shard: (k: Int, n: Int)?
  /// Stop at the first input that cannot be read instead of skipping it.
  public var strict: Bool
  /// Prepared batches waiting for the trunk, at most.
  public var queueDepth: Int

  public init(
    model: String, config: String? = nil, data: String, labels: [String] = [],
    layers: [String], output: String, preprocessing: PreprocessingOptions = .init(),
    pool: FeaturePooling = .avg, dtype: DType = .float32, batchSize: Int = 32,
    threads: Int? = nil, resume: Bool = false, shard: (k: Int, n: Int)? = nil,
    strict: Bool = false, queueDepth: Int = 2
  ) {
    self.model = model
    self.config = config
    self.data = data
    self.labels = labels
    self.layers = layers
    self.output = output
    self.preprocessing = preprocessing
    self.pool = pool
    self.dtype = dtype
    self.batchSize = batchSize
    self.threads = threads
    self.resume = resume
    self.shard = shard
    self.strict = strict
    self.queueDepth = queueDepth
  }
}

/// How far a run has got, reported after each batch.
public struct ExtractionProgress: Sendable {
  /// Inputs done (rows and skipped), counting those of earlier runs of a resumed cache.
  public var inputsDone: Int
  public var inputsTotal: Int
  /// Inputs that were already done when this run started.
  public var resumedFrom: Int
  public var rows: Int
  public var skipped: Int
  /// Seconds since this run started.
  public var seconds: Double
}

/// What a finished run did, as `graft extract --json` prints it.
public struct ExtractionSummary: Sendable, Encodable {
  public var output: String
  public var rows: Int
  public var skipped: Int
  /// Each layer's feature shape per row.
  public var layers: [String: [Int]]
  public var seconds: Double
  /// Inputs this run processed per second.
  public var imagesPerSecond: Double
  /// Inputs that were already done when this run started (a resumed run).
  public var resumedFrom: Int
  /// The preprocessing used, for image data.
  public var preprocessing: Preprocessing?

  enum CodingKeys: String, CodingKey {
    case output, rows, skipped, layers, seconds, preprocessing
    case imagesPerSecond = "images_per_second"
    case resumedFrom = "resumed_from"
  }
}

/// Errors of a run that are not a file format's own.
public enum ExtractionError: Error, CustomStringConvertible {
  case badOption(String)
  case trunkInputs(layers: [String], inputs: [String])
  case notAnImageInput(name: String, type: ValueType, reason: String)
  case featureShape(layer: String, type: ValueType)
  case partialExists(path: String, rows: Int)

  public var description: String {
    switch self {
    case .badOption(let message): message
    case .trunkInputs(let layers, let inputs):
      "the trunk cut at \(layers.map { "'\($0)'" }.joined(separator: ", ")) reads "
        + "\(inputs.count) inputs (\(inputs.map { "'\($0)'" }.joined(separator: ", "))); "
        + "extraction feeds exactly one"
    case .notAnImageInput(let name, let type, let reason):
      "the model's input '\(name)' \(type) cannot take images: \(reason)"
    case .featureShape(let layer, let type):
      "layer '\(layer)' gives \(type): its shape after the batch must be fixed for the cache"
    case .partialExists(let path, let rows):
      "'\(path).partial' holds an interrupted run (\(rows) rows); add --resume to continue it, "
        + "or delete it to start over"
    }
  }
}

/// Runs the trunk of `options.model` cut at `options.layers` over every input of
/// `options.data` and writes the features to the cache `options.output` (layout: see
/// `FeatureCache`).
///
/// Inputs are read and preprocessed on a producer thread, `queueDepth` batches ahead of the
/// trunk, so decoding overlaps inference and memory is bounded by the batch size and queue
/// depth whatever the number of inputs. Each batch is flushed to the cache before the next is
/// counted done, so a run killed at any moment resumes (`resume`) with no row lost or doubled.
/// An image that cannot be decoded is skipped and listed in `/skipped`, or with `strict`
/// stops the run.
///
/// - Parameter progress: called after each batch (on the calling thread).
public func extractFeatures(
  _ options: ExtractionOptions, progress: (ExtractionProgress) -> Void = { _ in }
) throws -> ExtractionSummary {
  guard options.batchSize >= 1 else { throw ExtractionError.badOption("--batch must be ≥ 1") }
  guard Set(options.layers).count == options.layers.count, !options.layers.isEmpty else {
    throw ExtractionError.badOption("give each --layer once, and at least one")
  }
  guard [.float32, .float16].contains(options.dtype) else {
    throw ExtractionError.badOption("--dtype is float32 or float16")
  }
  let model = try loadModel(options.model, config: options.config)
  try model.requireSupported(path: options.model)
  var trunk = try model.graph.featureTrunk(
    layers: options.layers, pool: options.pool, channelsLast: model.format == .kerasH5)
  guard trunk.inputs.count == 1, let input = trunk.inputs.first else {
    throw ExtractionError.trunkInputs(layers: options.layers, inputs: trunk.inputs.map(\.name))
  }
  let (source, rowShape, preprocessing) = try inputSource(
    data: options.data, labels: options.labels, shard: options.shard, strict: options.strict,
    input: input
  ) { input in
    let geometry = try ImageInputGeometry(input, layout: options.preprocessing.layout)
    return try options.preprocessing.resolved(
      modelSize: geometry.size, modelLayout: geometry.layout, channels: geometry.channels)
  }
  trunk.inputs[0].type = ValueType(
    input.type.dtype, [input.type.shape?.first ?? .symbol("N")] + rowShape.map(Dim.fixed))
  try trunk.inferTypes()
  let featureShapes = try rowShapes(of: trunk, layers: options.layers)
  let provenance = FeatureCacheProvenance(
    modelSHA256: try Digest.sha256(ofFiles: [options.model] + (options.config.map { [$0] } ?? [])),
    layers: options.layers, preprocessing: try preprocessing.map(canonicalJSON) ?? "",
    pool: options.pool.rawValue, dtype: options.dtype, graftVersion: graftVersion)

  if let finished = try finishedCache(options, provenance: provenance) {
    return ExtractionSummary(
      output: options.output, rows: finished.rows, skipped: try finished.skipped().count,
      layers: featureShapes, seconds: 0, imagesPerSecond: 0, resumedFrom: source.count,
      preprocessing: preprocessing)
  }
  let writer = try FeatureCacheWriter(
    path: options.output, provenance: provenance,
    layout: FeatureCacheLayout(
      featureShapes: featureShapes, labelColumns: source.labelColumns,
      dataFingerprint: source.fingerprint, shard: options.shard.map { "\($0.k)/\($0.n)" }),
    resume: options.resume)
  let session = try Session(graph: trunk, threads: options.threads)
  let outputNames = Dictionary(
    uniqueKeysWithValues: zip(options.layers, session.graph.outputs.map(\.name)))

  let start = Date()
  let resumedFrom = writer.inputsComplete
  try forEachPreparedBatch(
    of: source, from: resumedFrom, batchSize: options.batchSize, queueDepth: options.queueDepth
  ) { batch in
    var features: [String: Tensor] = [:]
    if let rows = batch.input {
      let results = try session.run([input.name: rows])
      for (layer, name) in outputNames { features[layer] = results[name] }
    }
    try writer.append(
      features: features, ids: batch.ids, labels: batch.labels, skipped: batch.skipped)
    progress(
      ExtractionProgress(
        inputsDone: writer.inputsComplete, inputsTotal: source.count, resumedFrom: resumedFrom,
        rows: writer.rowsComplete, skipped: writer.skippedComplete,
        seconds: Date().timeIntervalSince(start)))
  }
  try writer.finish()
  let seconds = Date().timeIntervalSince(start)
  return ExtractionSummary(
    output: options.output, rows: writer.rowsComplete, skipped: writer.skippedComplete,
    layers: featureShapes, seconds: seconds,
    imagesPerSecond: Double(writer.inputsComplete - resumedFrom) / max(seconds, 1e-9),
    resumedFrom: resumedFrom, preprocessing: preprocessing)
}

/// Each layer's feature shape after the batch dim, from the trunk's typed outputs.
///
/// - Throws: `ExtractionError.featureShape` for an output whose shape is not fixed.
private func rowShapes(of trunk: Graph, layers: [String]) throws -> [String: [Int]] {
  var shapes: [String: [Int]] = [:]
  for (layer, output) in zip(layers, trunk.outputs) {
    let type = trunk.type(of: output.name) ?? .unknown
    let dims = type.shape?.dropFirst() ?? []
    let shape = dims.compactMap(\.value)
    guard type.shape != nil, shape.count == dims.count else {
      throw ExtractionError.featureShape(layer: layer, type: type)
    }
    shapes[layer] = shape
  }
  return shapes
}

/// The finished cache at the output when `--resume` finds one made with `provenance` (nothing
/// is left to do), nil when the run should start or continue.
///
/// - Throws: `FeatureCacheError.provenanceMismatch` for a finished cache made otherwise, and
///   `ExtractionError.partialExists` for a partial run that `--resume` was not given for.
private func finishedCache(_ options: ExtractionOptions, provenance: FeatureCacheProvenance)
  throws -> FeatureCache?
{
  let partial = FeatureCacheWriter.hasPartial(options.output)
  if !options.resume, partial {
    let rows = (try? FeatureCacheWriter.recordedRows(options.output)) ?? 0
    throw ExtractionError.partialExists(path: options.output, rows: rows)
  }
  guard options.resume, !partial, FileManager.default.fileExists(atPath: options.output) else {
    return nil
  }
  let finished = try FeatureCache(contentsOf: options.output)
  if let field = finished.provenance.mismatch(with: provenance) {
    throw FeatureCacheError.provenanceMismatch(path: options.output, field: field)
  }
  return finished
}
