import ArgumentParser
import Foundation
import Graft

struct ConvertCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "convert",
    abstract: "Convert a Keras or ONNX model to an optimised ONNX model.",
    discussion: """
      IN is an ONNX model or a Keras file (.h5, .hdf5, .keras, or .weights.h5 with --config);
      OUT is the .onnx file to write. No TensorFlow is needed.
      A Keras model keeps its interface: its NHWC input stays NHWC (one Transpose at the input at
      most), unless --inputs-as-nchw gives it an NCHW interface with no Transpose at all.
      The optimisation passes (all on by default; turn one off with --disable-pass) are:
        constant-folding    compute what only depends on constants
        batchnorm-folding   fold BatchNormalization into the preceding Conv or Gemm
        transposes          cancel Transpose pairs, push transposes into weights
        identities          remove Identity and Dropout
        pad-folding         fold zero Pad nodes into the following Conv's or pooling's pads
        reshapes            shorten Reshape/Flatten/Squeeze/Unsqueeze chains to one Reshape
        dead-nodes          remove what no output needs
      --check runs the source and the result through Graft's runtime on the same random batch
      and prints the largest difference per output; it fails when one exceeds
      tolerance · max(1, max |source output|). Nothing is left at OUT when conversion fails.
      """)

  @OptionGroup var source: ModelArguments

  @Argument(help: "The ONNX file to write.")
  var destination: String

  @Option(
    help: ArgumentHelp(
      "The default-domain opset to write (\(ONNXExportOptions.supportedOpsets.lowerBound)…"
        + "\(ONNXExportOptions.supportedOpsets.upperBound); default: "
        + "\(ONNXExportOptions.defaultOpset), or an ONNX source's own opset when newer)."))
  var opset: Int?

  @Flag(help: "Give channels-last (NHWC) inputs an NCHW interface, with no Transpose.")
  var inputsAsNchw = false

  @Option(help: "A value, node or Keras layer to cut the model at (repeatable).")
  var output: [String] = []

  @Option(help: ArgumentHelp("Turn off an optimisation pass (repeatable).", valueName: "pass"))
  var disablePass: [String] = []

  @Flag(help: "Write the model as read, with no optimisation pass.")
  var noOptimize = false

  @Option(
    help: ArgumentHelp(
      "Keep initializers in OUT.data beside the model: automatic (over 2 GB), always, never.",
      valueName: "when"))
  var externalData = ONNXExportOptions.ExternalData.automatic.rawValue

  @Flag(help: "Compare the source and the result on a random batch.")
  var check = false

  @Option(help: "The relative tolerance of --check.")
  var tolerance = 1e-4

  @Flag(help: "Print the summary as one JSON object.")
  var json = false

  func run() throws {
    try reportingErrors {
      try requireONNXOutput(destination)
      guard let externalData = ONNXExportOptions.ExternalData(rawValue: externalData) else {
        throw ValidationError("--external-data must be automatic, always or never")
      }
      var passes = noOptimize ? [] : OptimizationPasses.all
      for name in disablePass {
        guard let pass = OptimizationPasses.named[name] else {
          throw ValidationError(
            "unknown pass '\(name)'; the passes are "
              + OptimizationPasses.named.keys.sorted().joined(separator: ", "))
        }
        passes.remove(pass)
      }
      let model = try source.load()
      try model.requireSupported(path: source.model)
      let opset = opset ?? defaultExportOpset(for: model)
      let options = ConversionOptions(
        export: ONNXExportOptions(opset: opset, externalData: externalData), passes: passes,
        inputsAsNCHW: inputsAsNchw, outputs: output)
      let summary = try convertModel(model, to: destination, options: options)
      let written = try loadModel(destination)
      let comparisons = check ? try checkConversion(summary, written: written) : []
      let report = ConversionReport(
        summary, written: written.graph, source: source.model,
        destination: destination, opset: opset, comparisons: comparisons, tolerance: tolerance)
      if json {
        try printJSON(report)
      } else {
        print(report.text)
      }
      if !report.checkPassed {
        FileHandle.standardError.write(
          Data(
            "error: '\(destination)' differs from '\(source.model)' beyond the tolerance\n".utf8))
        throw ExitCode.failure
      }
    }
  }
}
