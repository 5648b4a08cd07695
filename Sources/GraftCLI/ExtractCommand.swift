import ArgumentParser
import Foundation
import Graft

struct ExtractCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "extract",
    abstract: "Run a frozen trunk over images or arrays and cache the features in HDF5.",
    discussion: """
      DATA is a folder with one subfolder per class (labels are the sorted folder names), a
      folder of unlabelled images, a CSV of path,label rows (paths relative to the CSV; a
      header path,NAME1,NAME2,… gives one label column per name, an empty cell no label), or
      an array file: FILE.npy or FILE.h5:/dataset, one model input per row (no preprocessing).
      Images are JPEG or PNG, EXIF orientation applied, converted to the model's RGB or grey.

      Every --preset resizes the shorter side to round(S / 0.875) (bilinear, antialiased as
      PIL), centre-crops S×S (S: the model's input size, or --size), then scales:
        torch  x/255, then mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225)
        tf     x/127.5 − 1
        caffe  BGR order, minus (103.939, 116.779, 123.68)
        unit   x/255
        raw    x
      The other preprocessing options override the preset's values.

      The cache (h5py reads it): /features/<layer> float32 [N, D…] (a layer name's leading '/'
      dropped), /ids (paths relative to DATA, or row numbers), /labels (indices into
      /label_names; several label columns as /labels/NAME and /label_names/NAME, -1 where a
      row has no label), /skipped/ids and /skipped/reasons, and attributes model_sha256, layers,
      preprocessing, pool, graft_version, rows_complete. It is written as OUT.partial and renamed
      when complete; --resume continues an interrupted run (even one killed with kill -9) from
      its last complete batch, refusing a cache made with another model, layers, pooling,
      preprocessing or data. --shard K/N does the K-th of N contiguous slices of DATA, for array
      jobs on a cluster; `graft merge` joins the shards' caches.
      """)

  @OptionGroup var source: ModelArguments

  @Argument(
    help: "Images (class folders, a flat folder, a path,label CSV) or FILE.npy / FILE.h5:/name.")
  var data: String

  @Option(
    name: .customLong("layer"),
    help: "A value, node or Keras layer whose output is a feature (repeatable; see graft inspect).")
  var layers: [String] = []

  @Option(name: [.customShort("o"), .long], help: "The feature cache to write (.h5).")
  var output: String

  @Option(help: "The preprocessing the trunk was trained with: torch, tf, caffe, unit or raw.")
  var preset: Preprocessing.Preset?

  @Option(help: "The input size S (default: the model's input size).")
  var size: Int?

  @Option(help: "The shorter side after resizing (default round(S / 0.875); 0 resizes to S×S).")
  var resizeTo: Int?

  @Option(help: "The centre crop's side (default S).")
  var crop: Int?

  @Option(help: "bilinear (default) or nearest.")
  var interpolation: Preprocessing.Interpolation?

  @Option(help: "Multiply pixel values by this before the mean and std.")
  var scale: Float?

  @Option(help: ArgumentHelp("Per-channel mean, comma-separated.", valueName: "m1,m2,m3"))
  var mean: String?

  @Option(help: ArgumentHelp("Per-channel std, comma-separated.", valueName: "s1,s2,s3"))
  var std: String?

  @Flag(inversion: .prefixedNo, help: "Feed channels in BGR order.")
  var bgr: Bool?

  @Option(help: "nchw or nhwc (default: read from the model's input shape).")
  var layout: Preprocessing.Layout?

  @Option(help: "Reduce spatial feature maps to vectors: avg, max or none.")
  var pool: FeaturePooling = .avg

  @Option(help: "float32, or float16 for a cache half the size.")
  var dtype: String = "float32"

  @Option(
    help: ArgumentHelp(
      "For array DATA: labels, one integer per row (FILE.npy or FILE.h5:/name); repeat as "
        + "NAME=FILE… for several label columns.", valueName: "[NAME=]labels"))
  var labels: [String] = []

  @Flag(help: "Continue the interrupted run whose OUT.partial is there.")
  var resume = false

  @Option(help: ArgumentHelp("Do the K-th of N slices of DATA.", valueName: "K/N"))
  var shard: String?

  @OptionGroup var batching: BatchArguments

  @OptionGroup var report: ReportArguments

  func run() throws {
    try reportingErrors {
      guard !layers.isEmpty else {
        throw ValidationError("give at least one --layer (`graft inspect MODEL` lists cut points)")
      }
      guard let dtype = DType(rawValue: dtype), [.float32, .float16].contains(dtype) else {
        throw ValidationError("--dtype must be float32 or float16")
      }
      let options = ExtractionOptions(
        model: source.model, config: source.config, data: data, labels: labels, layers: layers,
        output: output,
        preprocessing: PreprocessingOptions(
          preset: preset, size: size, resizeTo: resizeTo, crop: crop,
          interpolation: interpolation, scale: scale,
          mean: try mean.map { try floats($0, "--mean") },
          std: try std.map { try floats($0, "--std") }, bgr: bgr, layout: layout),
        pool: pool, dtype: dtype, batchSize: batching.batch, threads: batching.threads,
        resume: resume,
        shard: try shard.map { try ImageDataset.parseShard($0) }, strict: batching.strict)
      let reporter = ProgressReporter("extract", quiet: report.quiet)
      let summary = try extractFeatures(options, progress: reporter.update)
      reporter.finish(Self.report(summary))
      if report.json {
        try printJSON(summary)
      }
    }
  }

  /// What a run did, as printed at its end.
  static func report(_ summary: ExtractionSummary) -> String {
    let shapes = summary.layers.sorted { $0.key < $1.key }
      .map { "\($0.key) \($0.value.map(String.init).joined(separator: "×"))" }
      .joined(separator: ", ")
    var text =
      "wrote \(summary.output): \(summary.rows) rows, \(summary.skipped) skipped; \(shapes)\n"
    if summary.resumedFrom > 0 {
      text += "resumed after \(summary.resumedFrom) inputs done earlier\n"
    }
    return text
      + String(format: "%.1f s, %.1f inputs/s\n", summary.seconds, summary.imagesPerSecond)
  }

  /// `text` as comma-separated numbers.
  private func floats(_ text: String, _ option: String) throws -> [Float] {
    let values = text.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces)) }
    guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else {
      throw ValidationError("\(option) '\(text)' should be comma-separated numbers")
    }
    return values.compactMap { $0 }
  }
}

extension Preprocessing.Preset: ExpressibleByArgument {}
extension Preprocessing.Interpolation: ExpressibleByArgument {}
extension Preprocessing.Layout: ExpressibleByArgument {}
extension FeaturePooling: ExpressibleByArgument {}
