import Foundation
import GraftONNX

/// What `convertModel` does besides reading and writing.
public struct ConversionOptions: Sendable {
  public var export: ONNXExportOptions
  /// The optimisation passes run before writing.
  public var passes: OptimizationPasses
  /// Give channels-last inputs (Keras's NHWC) a channels-first interface with no Transpose.
  public var inputsAsNCHW: Bool
  /// Values (or Keras layer names) to cut the model at; empty keeps the model's outputs.
  public var outputs: [String]

  public init(
    export: ONNXExportOptions = ONNXExportOptions(), passes: OptimizationPasses = .all,
    inputsAsNCHW: Bool = false, outputs: [String] = []
  ) {
    self.export = export
    self.passes = passes
    self.inputsAsNCHW = inputsAsNCHW
    self.outputs = outputs
  }
}

/// What a conversion did, as `graft convert` prints it.
public struct ConversionSummary: Sendable {
  /// The source model, cut as asked but before any interface change or optimisation.
  public var source: Model
  /// The model written, as the exporter saw it.
  public var result: Model
  public var optimization: OptimizationReport
  /// Inputs given a channels-first interface, with the permutation from the old layout.
  public var permutedInputs: [String: [Int]]
}

/// The opset `graft convert` writes by default: ONNX's default 17, or the source model's own
/// opset when it is newer (up to the newest the exporter writes), so that a conversion never
/// downgrades a model unasked.
public func defaultExportOpset(for model: Model) -> Int {
  let newest = ONNXExportOptions.supportedOpsets.upperBound
  return min(newest, max(ONNXExportOptions.defaultOpset, model.opsets[""] ?? 0))
}

/// Converts a loaded model to an ONNX file at `path`: cut, interface change, optimisation, export.
///
/// - Throws: the graph's or exporter's errors, naming the node and the file at fault; nothing is
///   left at `path` on failure.
public func convertModel(_ model: Model, to path: String, options: ConversionOptions) throws
  -> ConversionSummary
{
  var source = model
  if !options.outputs.isEmpty { source.graph = try source.graph.cut(at: options.outputs) }
  var result = source
  result.graph.views = [:]
  let optimization = try result.graph.optimize(options.passes)
  // After the passes, which move a Transpose behind elementwise preprocessing up to the input.
  let permutedInputs = options.inputsAsNCHW ? try result.graph.makeInputsChannelsFirst() : [:]
  var export = options.export
  if export.producerVersion.isEmpty { export.producerVersion = graftVersion }
  try ONNXExporter.write(result, to: path, options: export)
  return ConversionSummary(
    source: source, result: result, optimization: optimization, permutedInputs: permutedInputs)
}

/// One output of a `--check` comparison.
public struct OutputComparison: Sendable {
  public var name: String
  /// `max |result − source|`.
  public var maxAbsDifference: Double
  /// The parity scale `max(1, max |source|)`; the check passes when the difference is at most
  /// the tolerance times this.
  public var scale: Double
}

/// Runs the converted model, as read back from its file, and its source through Graft's runtime on
/// the same random batch and compares every output.
///
/// Reading the file back makes the check cover the whole round trip. Inputs whose interface
/// changed are fed the same values permuted.
public func checkConversion(_ summary: ConversionSummary, written: Model, batch: Int = 2)
  throws -> [OutputComparison]
{
  let sourceInputs = try benchmarkInputs(for: summary.source.graph, batch: batch)
  var resultInputs = sourceInputs
  for (name, perm) in summary.permutedInputs {
    resultInputs[name] = sourceInputs[name]?.permutingAxes(perm)
  }
  let expected = try Session(graph: summary.source.graph).run(sourceInputs)
  let actual = try Session(graph: written.graph).run(resultInputs)
  return try summary.source.graph.outputs.map { output in
    guard let reference = expected[output.name], let value = actual[output.name],
      let (maxAbs, scale) = value.difference(from: reference)
    else {
      throw RuntimeError.badInput(
        "the converted model's output '\(output.name)' is missing or has another shape")
    }
    return OutputComparison(name: output.name, maxAbsDifference: maxAbs, scale: scale)
  }
}
