import Foundation
import GraftONNX

/// What `graft predict` is asked to do.
public struct PredictionOptions: Sendable {
  /// An attached model (`graft attach`), or a trunk when `head` is given.
  public var model: String
  public var config: String?
  public var head: String?
  /// Images or an array file, as for extraction.
  public var data: String
  /// The CSV to write.
  public var output: String
  public var batchSize: Int
  public var threads: Int?
  public var strict: Bool

  public init(
    model: String, config: String? = nil, head: String? = nil, data: String, output: String,
    batchSize: Int = 32, threads: Int? = nil, strict: Bool = false
  ) {
    self.model = model
    self.config = config
    self.head = head
    self.data = data
    self.output = output
    self.batchSize = batchSize
    self.threads = threads
    self.strict = strict
  }
}

/// What a prediction run did.
public struct PredictionSummary: Sendable, Encodable {
  public var output: String
  public var rows: Int
  public var skipped: Int
  public var seconds: Double
}

/// Predicts the class of every input of `options.data` with a trunk and head (attached, or
/// joined here) and writes the CSV `options.output`: a header `id,label,<class names…>,error`,
/// then per input its id, the most probable class, each class's probability, and for an input
/// that could not be read, empty fields and the reason in `error`.
///
/// Images are preprocessed as the head's training features were (the preprocessing its
/// metadata records). The CSV is written beside `output` and renamed into place when complete.
public func predict(
  _ options: PredictionOptions, progress: (ExtractionProgress) -> Void = { _ in }
) throws -> PredictionSummary {
  let loaded = try loadModel(options.model, config: options.config)
  try loaded.requireSupported(path: options.model)
  let model =
    try options.head.map {
      try attachHead(
        trunk: loaded, trunkPath: options.model, trunkConfig: options.config,
        head: try ONNXImporter.load(contentsOf: $0), headPath: $0)
    } ?? loaded
  let description = try HeadDescription(of: model, path: options.head ?? options.model)
  guard model.graph.inputs.count == 1, let input = model.graph.inputs.first else {
    throw ExtractionError.trunkInputs(
      layers: [description.layer], inputs: model.graph.inputs.map(\.name))
  }
  let (source, _, _) = try inputSource(
    data: options.data, labels: [], shard: nil, strict: options.strict, input: input
  ) { _ in
    guard let data = description.preprocessing.data(using: .utf8),
      let recorded = try? JSONDecoder().decode(Preprocessing.self, from: data)
    else {
      throw ExtractionError.badOption(
        "the head was trained on features of arrays, not images: give an array file")
    }
    return recorded
  }
  let session = try Session(graph: model.graph, threads: options.threads)
  let outputName = session.graph.outputs[0].name
  let start = Date()
  var (rows, skipped) = (0, 0)
  try writeAtomically(to: options.output) { temporary in
    guard FileManager.default.createFile(atPath: temporary, contents: nil),
      let file = FileHandle(forWritingAtPath: temporary)
    else { throw OutputError(path: options.output, reason: "cannot create '\(temporary)'") }
    defer { try? file.close() }
    let header = ["id", "label"] + description.labelNames + ["error"]
    try file.write(contentsOf: Data((header.map(csvField).joined(separator: ",") + "\n").utf8))
    try forEachPreparedBatch(
      of: source, from: 0, batchSize: options.batchSize, queueDepth: 2
    ) { batch in
      var lines = ""
      if let rowsInput = batch.input {
        let probabilities = try session.run([input.name: rowsInput])[outputName]!
          .elements(as: Float.self)
        let classes = description.labelNames.count
        let best = argmaxRows(probabilities, classes: classes)
        for (row, id) in batch.ids.enumerated() {
          let scores = probabilities[(row * classes)..<((row + 1) * classes)]
          lines +=
            ([id, description.labelNames[Int(best[row])]] + scores.map { "\($0)" } + [""])
            .map(csvField).joined(separator: ",") + "\n"
        }
      }
      for (id, reason) in batch.skipped {
        lines +=
          ([id, ""] + Array(repeating: "", count: description.labelNames.count) + [reason])
          .map(csvField).joined(separator: ",") + "\n"
      }
      try file.write(contentsOf: Data(lines.utf8))
      rows += batch.ids.count
      skipped += batch.skipped.count
      progress(
        ExtractionProgress(
          inputsDone: rows + skipped, inputsTotal: source.count, resumedFrom: 0, rows: rows,
          skipped: skipped, seconds: Date().timeIntervalSince(start)))
    }
  }
  return PredictionSummary(
    output: options.output, rows: rows, skipped: skipped,
    seconds: Date().timeIntervalSince(start))
}

/// `text` as a CSV field: quoted (with inner quotes doubled) when it holds a comma, quote or
/// line break (RFC 4180). Written here rather than with CSV.swift's `CSVWriter`, which the
/// package already uses for reading: it writes its stream one byte per call, a system call per
/// byte for a file.
func csvField(_ text: String) -> String {
  guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
    return text
  }
  return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
