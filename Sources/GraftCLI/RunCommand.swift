import ArgumentParser
import Foundation
import Graft

struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run a model on .npy arrays and write one .npy per output.",
    discussion: """
      Inputs are given as NAME=FILE.npy (C order; float32, float64, int64, int32, uint8 or bool).
      With a single graph input, -i FILE.npy needs no name. --output cuts the model: any value or
      node name listed by `graft inspect` can be an output, and only what feeds it is run; for a
      Keras model, a layer name gives that layer's output in Keras's layout (NHWC for
      channels_last), as keras.Model(inputs, layer.output) would. Keras inputs are in Keras's
      layout too.
      Each output is written to DIR/<name>.npy, with characters outside [A-Za-z0-9._-] in the
      name replaced by '_'.
      """)

  @OptionGroup var source: ModelArguments

  @Option(name: [.customShort("i"), .long], help: "An input as NAME=FILE.npy (or FILE.npy).")
  var input: [String] = []

  @Option(
    name: .long, help: "A value or node name to compute (repeatable); default: the model's outputs."
  )
  var output: [String] = []

  @Option(
    name: [.customShort("o"), .long], help: "Folder for the output arrays (created if missing).")
  var outputDirectory: String

  @Option(help: "Threads for Graft's kernels (default: all cores). Results do not depend on it.")
  var threads: Int?

  func run() throws {
    try reportingErrors {
      let loaded = try source.load()
      try loaded.requireSupported(path: source.model)
      let session = try Session(
        graph: loaded.graph, outputs: output.isEmpty ? nil : output, threads: threads)
      var inputs: [String: Tensor] = [:]
      for argument in input {
        let (name, file) = try inputBinding(argument, graphInputs: session.graph.inputs.map(\.name))
        inputs[name] = try NPY.read(contentsOf: file)
      }
      let results = try session.run(inputs)
      try FileManager.default.createDirectory(
        atPath: outputDirectory, withIntermediateDirectories: true)
      for value in session.graph.outputs {
        let path = (outputDirectory as NSString).appendingPathComponent(
          Self.fileName(for: value.name))
        try NPY.write(results[value.name]!, to: path)
        print(path)
      }
    }
  }

  /// `NAME=FILE` split, or `FILE` alone for a model with a single input.
  private func inputBinding(_ argument: String, graphInputs: [String]) throws -> (String, String) {
    if let separator = argument.firstIndex(of: "="),
      graphInputs.contains(String(argument[..<separator]))
    {
      return (String(argument[..<separator]), String(argument[argument.index(after: separator)...]))
    }
    guard graphInputs.count == 1 else {
      throw ValidationError(
        "'\(argument)' names no input; use NAME=FILE.npy with NAME one of "
          + graphInputs.map { "'\($0)'" }.joined(separator: ", "))
    }
    return (graphInputs[0], argument)
  }

  /// `DIR`-safe file name of an output value: characters outside `[A-Za-z0-9._-]` become `_`.
  static func fileName(for value: String) -> String {
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
    return String(value.map { allowed.contains($0) ? $0 : "_" }) + ".npy"
  }
}
