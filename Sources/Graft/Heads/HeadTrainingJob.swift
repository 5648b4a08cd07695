import Foundation

/// The kinds of head `graft train-head` fits.
public enum HeadKind: String, CaseIterable, Codable, Sendable {
  case logistic, svm, ridge, mlp

  /// The values of C cross-validated by default: `HeadTraining.defaultGrid` (10⁻³ … 10²), and
  /// for the MLP, whose L2 penalty is `alpha = 1/C`, 10 … 10⁵ (alpha 0.1 … 10⁻⁵, around
  /// scikit-learn's default alpha of 10⁻⁴).
  var defaultGrid: [Double] {
    self == .mlp ? [10, 100, 1000, 10_000, 100_000] : HeadTraining.defaultGrid
  }

  /// The trainer, with `hidden` units per MLP hidden layer.
  func trainer(hidden: [Int]) -> any HeadTrainer {
    switch self {
    case .logistic: LogisticRegression()
    case .svm: LinearSVM()
    case .ridge: RidgeClassifier()
    case .mlp: MLPClassifier(hiddenLayers: hidden)
    }
  }
}

/// What `graft train-head` is asked to do.
public struct HeadTrainingOptions: Sendable {
  public var features: String
  /// The cached layer to train on; the cache's only layer when nil.
  public var layer: String?
  /// The label column to train on; the cache's only one when nil.
  public var labels: String?
  public var output: String
  public var kind: HeadKind
  /// Values of C to cross-validate; `HeadTraining.defaultGrid` when nil.
  public var grid: [Double]?
  public var folds: Int
  /// A second cache (same trunk, layer and preprocessing) to report held-out scores on.
  public var validation: String?
  /// Or the fraction of the rows held out for that report (stratified, seeded).
  public var validationSplit: Double?
  public var classWeighting: ClassWeighting
  public var seed: UInt64
  public var threads: Int
  public var standardize: Bool
  public var hiddenLayers: [Int]

  public init(
    features: String, layer: String? = nil, labels: String? = nil, output: String,
    kind: HeadKind = .logistic,
    grid: [Double]? = nil, folds: Int = 5, validation: String? = nil,
    validationSplit: Double? = nil, classWeighting: ClassWeighting = .uniform, seed: UInt64 = 0,
    threads: Int = ProcessInfo.processInfo.activeProcessorCount, standardize: Bool = true,
    hiddenLayers: [Int] = [256]
  ) {
    self.features = features
    self.layer = layer
    self.labels = labels
    self.output = output
    self.kind = kind
    self.grid = grid
    self.folds = folds
    self.validation = validation
    self.validationSplit = validationSplit
    self.classWeighting = classWeighting
    self.seed = seed
    self.threads = threads
    self.standardize = standardize
    self.hiddenLayers = hiddenLayers
  }
}

/// What a training run did, as `graft train-head --json` prints it.
public struct HeadTrainingSummary: Sendable, Encodable {
  public var head: HeadKind
  public var output: String
  public var layer: String
  /// The label column trained on.
  public var labels: String
  /// Rows of the training cache left out for having no label in that column.
  public var unlabelledRows: Int
  public var c: Double
  /// Mean held-out accuracy per value of C, in grid order.
  public var cvScores: [Double]
  public var grid: [Double]
  public var trainAccuracy: Double
  /// Scores on the validation rows, when there are some.
  public var validation: ClassificationMetrics?
  public var converged: Bool
  public var seconds: Double
  public var report: TrainingReport

  enum CodingKeys: String, CodingKey {
    case head, output, layer, labels, grid, converged, seconds, report
    case unlabelledRows = "unlabelled_rows"
    case c = "C"
    case cvScores = "cv_scores"
    case trainAccuracy = "train_accuracy"
    case valAccuracy = "val_accuracy"
    case valMacroF1 = "val_macro_f1"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(head, forKey: .head)
    try container.encode(output, forKey: .output)
    try container.encode(layer, forKey: .layer)
    try container.encode(labels, forKey: .labels)
    try container.encode(unlabelledRows, forKey: .unlabelledRows)
    try container.encode(c, forKey: .c)
    try container.encode(cvScores, forKey: .cvScores)
    try container.encode(grid, forKey: .grid)
    try container.encode(trainAccuracy, forKey: .trainAccuracy)
    try container.encodeIfPresent(validation?.accuracy, forKey: .valAccuracy)
    try container.encodeIfPresent(validation?.macroF1, forKey: .valMacroF1)
    try container.encode(converged, forKey: .converged)
    try container.encode(seconds, forKey: .seconds)
    try container.encode(report, forKey: .report)
  }
}

/// Errors of the features a head is trained or evaluated on.
public enum HeadDataError: Error, CustomStringConvertible {
  case noLabels(path: String)
  case whichLayer(path: String, layers: [String])
  case unknownClass(path: String, name: String)
  case badSplit(Double)
  case tooFewRows(path: String, className: String, rows: Int, folds: Int)
  case nonFinite(path: String, row: Int, id: String)
  /// Several label columns to train, one output file without `{label}`.
  case outputPerColumn(columns: [String])

  public var description: String {
    switch self {
    case .noLabels(let path):
      "'\(path)' has no labels (/labels): heads are trained and evaluated on labelled features"
    case .whichLayer(let path, let layers):
      "'\(path)' holds several layers (\(layers.map { "'\($0)'" }.joined(separator: ", "))); "
        + "choose one with --layer"
    case .unknownClass(let path, let name):
      "'\(path)' has rows of class '\(name)', which the training features do not have"
    case .badSplit(let fraction): "--val-split \(fraction) must be between 0 and 1"
    case .nonFinite(let path, let row, let id):
      "'\(path)' row \(row) ('\(id)') has a feature that is NaN or infinite"
    case .outputPerColumn(let columns):
      "\(columns.count) label columns to train (\(columns.map { "'\($0)'" }.joined(separator: ", "))); "
        + "put {label} in -o to name each file (e.g. -o head-{label}.onnx)"
    case .tooFewRows(let path, let name, let rows, let folds):
      "'\(path)': class '\(name)' has \(rows) training row\(rows == 1 ? "" : "s"), fewer than the "
        + "\(folds) cross-validation folds (--cv); lower --cv or add rows"
    }
  }
}

/// The accuracy, F1 and confusion of a head's graph (input `features`, output class
/// probabilities) on `data`.
func evaluate(_ head: Graph, on data: TrainingSet, classNames: [String], threads: Int) throws
  -> ClassificationMetrics
{
  let session = try Session(graph: head, threads: threads)
  let probabilities = try session.run([
    head.inputs[0].name: Tensor(data.features, shape: [data.rows, data.columns])
  ])[session.graph.outputs[0].name]!.elements(as: Float.self)
  return ClassificationMetrics(
    trueLabels: data.labels, predicted: argmaxRows(probabilities, classes: classNames.count),
    classNames: classNames)
}

/// Scores the head at `headPath` on the labelled features of its layer in the cache at
/// `featuresPath`, whose class names are matched to the head's by name.
///
/// - Parameter labels: the cache's label column; by default the one the head was trained on,
///   or the cache's only one.
/// - Throws: `HeadError` for a file that is no head or features of another width,
///   `HeadDataError` for unlabelled features or a class the head does not know,
///   `LabelColumnError` for a label column that cannot be chosen.
public func evaluateHead(
  _ headPath: String, on featuresPath: String, labels: String? = nil, threads: Int
) throws -> ClassificationMetrics {
  let head = try loadModel(headPath)
  let description = try HeadDescription(of: head, path: headPath)
  let cache = try FeatureCache(contentsOf: featuresPath)
  let features = try CachedLayerFeatures(cache, layer: description.layer).labelled(
    column: labels ?? cache.labelColumnName(preferring: description.labelColumn),
    classNames: description.labelNames)
  guard features.data.columns == description.featureCount else {
    throw HeadError.widthMismatch(
      head: headPath, expected: description.featureCount, layer: description.layer,
      actual: "\(features.data.columns)")
  }
  return try evaluate(
    head.graph, on: features.data, classNames: description.labelNames, threads: threads)
}

extension FeatureCache {
  /// The label column to read when `preferred` (e.g. the column a head was trained on) is
  /// wanted: nil, meaning the only column, when the cache has one, whatever its name (one
  /// task named differently in another cache); otherwise `preferred`.
  func labelColumnName(preferring preferred: String?) -> String? {
    guard let preferred, labelColumns.count > 1 else { return nil }
    return preferred
  }
}

/// The index of the largest value in each row of `values` (`[rows][classes]`).
func argmaxRows(_ values: [Float], classes: Int) -> [Int32] {
  stride(from: 0, to: values.count, by: classes).map { start in
    let row = values[start..<(start + classes)]
    return Int32(row.indices.max { row[$0] < row[$1] }! - start)
  }
}

/// Trains a head on a feature cache (`HeadTraining.train`: C by stratified cross-validation,
/// refit on all training rows), reports it on the validation rows if any, and writes it as an
/// ONNX model with its description and training report in the metadata.
public func trainHead(_ options: HeadTrainingOptions) throws -> HeadTrainingSummary {
  try HeadTrainingInputs(options).train(column: options.labels, output: options.output)
}

/// Trains one head per label column of the cache (`columns`, or every one when nil), as
/// `trainHead` does, reading the features once; each head is written to `options.output` with
/// `{label}` replaced by its column's name.
///
/// - Throws: `HeadDataError.outputPerColumn` when several columns would share one output, and
///   what `trainHead` throws.
public func trainHeads(_ options: HeadTrainingOptions, columns: [String]?) throws
  -> [HeadTrainingSummary]
{
  let cache = try FeatureCache(contentsOf: options.features)
  let names = columns ?? cache.labelColumns.map(\.name)
  if names.count > 1, !options.output.contains("{label}") {
    throw HeadDataError.outputPerColumn(columns: names)
  }
  let inputs = try HeadTrainingInputs(options, cache: cache)
  return try names.map { column in
    try inputs.train(
      column: column, output: options.output.replacingOccurrences(of: "{label}", with: column))
  }
}

/// The features a training run reads once for every label column it trains on: the training
/// cache's layer and, with `--val`, the validation cache's.
private struct HeadTrainingInputs {
  let options: HeadTrainingOptions
  let training: CachedLayerFeatures
  let validation: CachedLayerFeatures?

  init(_ options: HeadTrainingOptions, cache: FeatureCache? = nil) throws {
    self.options = options
    let cache = try cache ?? FeatureCache(contentsOf: options.features)
    let training = try CachedLayerFeatures(cache, layer: options.layer)
    self.training = training
    validation = try options.validation.map { path in
      let other = try FeatureCache(contentsOf: path)
      if let field = other.provenance.mismatch(with: cache.provenance) {
        throw FeatureCacheError.provenanceMismatch(path: path, field: field)
      }
      return try CachedLayerFeatures(other, layer: training.layer)
    }
  }

  /// Trains on label column `column` (the only one when nil) and writes the head to `output`.
  func train(column: String?, output: String) throws -> HeadTrainingSummary {
    let features = try training.labelled(column: column)
    let (all, layer, classNames) = (features.data, training.layer, features.column.classes)
    var trainingRows = all
    var validationRows: TrainingSet?
    if let validation {
      validationRows =
        try validation.labelled(
          column: validation.cache.labelColumnName(preferring: features.column.name),
          classNames: classNames
        ).data
    } else if let fraction = options.validationSplit {
      guard fraction > 0 && fraction < 1 else { throw HeadDataError.badSplit(fraction) }
      var random = SplitMix64(seed: options.seed)
      let split = StratifiedSplit(
        labels: all.labels, classCount: all.classCount, fraction: fraction, rng: &random)
      trainingRows = all.subset(split.training)
      validationRows = all.subset(split.validation)
    }
    let head: FittedHead
    let report: TrainingReport
    do {
      (head, report) = try HeadTraining.train(
        trainer: options.kind.trainer(hidden: options.hiddenLayers), data: trainingRows,
        grid: options.grid ?? options.kind.defaultGrid, folds: options.folds,
        options: HeadFitOptions(seed: options.seed, threads: options.threads),
        classWeighting: options.classWeighting, standardize: options.standardize)
    } catch HeadTrainingError.tooFewRows(let index, let rows, let folds) {
      throw HeadDataError.tooFewRows(
        path: options.features, className: classNames[index], rows: rows, folds: folds)
    }
    let metrics = try validationRows.map {
      try evaluate(head.graph(), on: $0, classNames: classNames, threads: options.threads)
    }
    let summary = HeadTrainingSummary(
      head: options.kind, output: output, layer: layer, labels: features.column.name,
      unlabelledRows: features.unlabelledRows, c: report.chosenC,
      cvScores: report.meanAccuracies, grid: report.grid, trainAccuracy: report.trainAccuracy,
      validation: metrics, converged: report.converged, seconds: report.seconds, report: report)
    let provenance = training.cache.provenance
    try saveHead(
      head,
      description: HeadDescription(
        kind: options.kind.rawValue, labelNames: classNames, labelColumn: features.column.name,
        layer: layer, pool: provenance.pool, featureCount: all.columns,
        trunkSHA256: provenance.modelSHA256, preprocessing: provenance.preprocessing),
      extra: ["graft.training_report": try canonicalJSON(summary)],
      to: output)
    return summary
  }
}
