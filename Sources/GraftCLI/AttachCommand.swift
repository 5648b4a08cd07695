import ArgumentParser
import Foundation
import Graft

struct AttachCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "attach",
    abstract: "Join a trunk and a head trained on its features into one ONNX model.",
    discussion: """
      The head file (from graft train-head) records the layer and pooling its features came
      from; the result is the trunk cut at that layer, pooled the same way, flattened, then the
      head, with the trunk's input (in the trunk's layout) and the head's class probabilities as
      output. The head must have been trained on features of this trunk file (same SHA-256),
      unless --any-trunk. OUT is written to a temporary file and renamed into place.
      Writing Keras .h5 files is not supported yet; OUT must be .onnx.
      """)

  @OptionGroup var source: ModelArguments

  @Argument(help: "The head (.onnx from graft train-head).")
  var head: String

  @Option(name: [.customShort("o"), .long], help: "The model to write (.onnx).")
  var output: String

  @Flag(help: "Accept a head trained on features of another trunk file.")
  var anyTrunk = false

  func run() throws {
    try reportingErrors {
      try requireONNXOutput(output)
      let trunk = try source.load()
      try trunk.requireSupported(path: source.model)
      let attached = try attachHead(
        trunk: trunk, trunkPath: source.model, trunkConfig: source.config,
        head: try loadModel(head), headPath: head,
        requireSameTrunk: !anyTrunk)
      try ONNXExporter.write(attached, to: output)
      print("wrote \(output): \(source.model) cut at its head's layer, then \(head)")
    }
  }
}
