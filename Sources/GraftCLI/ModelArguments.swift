import ArgumentParser
import Graft

/// The model file argument and, for Keras weights-only files, the architecture it needs.
struct ModelArguments: ParsableArguments {
  @Argument(help: "The model file (.onnx, Keras .h5 / .hdf5 / .weights.h5 / .keras).")
  var model: String

  @Option(
    help: ArgumentHelp(
      "The architecture of a Keras weights-only file: model.to_json()'s JSON, a Keras 3 "
        + "config.json, or a full-model .h5.", valueName: "file"))
  var config: String?

  /// The model, imported and typed.
  func load() throws -> Model { try loadModel(model, config: config) }
}
