import ArgumentParser
import Foundation
import Graft

struct AttachCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "attach",
    abstract: "Join a trunk and a head trained on its features into one ONNX or Keras model.",
    discussion: """
      The head file (from graft train-head) records the layer and pooling its features came
      from; the result is the trunk cut at that layer, pooled the same way, flattened, then the
      head, with the trunk's input (in the trunk's layout) and the head's class probabilities as
      output. The head must have been trained on features of this trunk file (same SHA-256),
      unless --any-trunk. OUT is written to a temporary file and renamed into place.
      OUT ending in .onnx gives an ONNX model. OUT ending in .h5 gives a Keras legacy .h5 model
      (the trunk's layers up to the cut, a global pooling or Flatten layer, then Dense layers)
      that tf-keras and Keras 3 load as they load the trunk; the trunk must then be a
      full-model Keras .h5.
      """)

  @OptionGroup var source: ModelArguments

  @Argument(help: "The head (.onnx from graft train-head).")
  var head: String

  @Option(
    name: [.customShort("o"), .long], help: "The model to write (.onnx, or .h5 for a Keras trunk).")
  var output: String

  @Flag(help: "Accept a head trained on features of another trunk file.")
  var anyTrunk = false

  func run() throws {
    try reportingErrors {
      let keras = ["h5", "hdf5"].contains((output as NSString).pathExtension.lowercased())
      if keras {
        guard KerasImporter.recognizes(source.model) else {
          throw ValidationError(
            "'\(output)': a Keras .h5 is written only for a Keras trunk; '\(source.model)' is "
              + "not one: write .onnx instead")
        }
      } else {
        try requireONNXOutput(output)
      }
      let trunk = try source.load()
      try trunk.requireSupported(path: source.model)
      let headModel = try loadModel(head)
      if keras {
        try attachHeadAsKeras(
          trunk: trunk, trunkPath: source.model, trunkConfig: source.config, head: headModel,
          headPath: head, output: output, requireSameTrunk: !anyTrunk)
      } else {
        let attached = try attachHead(
          trunk: trunk, trunkPath: source.model, trunkConfig: source.config, head: headModel,
          headPath: head, requireSameTrunk: !anyTrunk)
        try ONNXExporter.write(attached, to: output)
      }
      print("wrote \(output): \(source.model) cut at its head's layer, then \(head)")
    }
  }
}
