import Foundation
import GraftHDF5
import GraftIR

/// Reads Keras model files into IR models, with no Python or TensorFlow.
///
/// Reads, told apart by content:
/// - a legacy full-model `.h5` / `.hdf5` (`model.save("m.h5")` of Keras 2.x, tf.keras, tf-keras
///   and Keras 3): root attributes `model_config`, `keras_version`, `backend`, weights in
///   `model_weights` (see `KerasLegacyWeights`);
/// - a Keras 2 weights-only `.h5` (`save_weights`: `layer_names` on the root), with the
///   architecture from `config` (a `model.to_json()` file or a full-model `.h5`);
/// - a Keras 3 `.weights.h5` (`layers/<key>/vars/<i>`, see `KerasVarsWeights`), with the
///   architecture from `config` (`config.json` / `model.to_json()`);
/// - a `.keras` archive (zip: config.json, model.weights.h5, metadata.json).
///
/// The model's format is `.kerasH5`, its producer `keras` at the file's `keras_version`; its
/// metadata holds `keras_version`, `backend`, `training_config` where the file has them, and
/// `keras_file` (`full-model-h5`, `weights-only-h5`, `weights-h5`, `keras-archive`).
public enum KerasImporter {
  /// Loads the Keras model at `path`.
  ///
  /// - Parameters:
  ///   - path: a `.h5` / `.hdf5`, `.weights.h5` or `.keras` file.
  ///   - configPath: the architecture of a weights-only file (JSON, or a full-model `.h5`);
  ///     refused for files that carry their own.
  /// - Throws: `KerasError.file(path:…)` naming the file and what is wrong (unsupported layers
  ///   all at once, every weight that does not fit), or `HDF5Error` for an unreadable HDF5 file.
  public static func load(contentsOf path: String, config configPath: String? = nil) throws
    -> Model
  {
    do {
      return try read(path, configPath: configPath)
    } catch let error as KerasError {
      if case .file = error { throw error }
      throw KerasError.file(path: path, error)
    } catch let error as HDF5Error {
      throw error
    } catch {
      throw KerasError.file(path: path, .invalidModel("\(error)"))
    }
  }

  /// Whether `path` starts like a Keras file (the HDF5 signature or a zip header), for callers
  /// choosing a reader by content.
  public static func recognizes(_ path: String) -> Bool {
    guard let signature = try? KerasFileSignature(path) else { return false }
    return signature.isHDF5 || signature.isZip
  }

  private static func read(_ path: String, configPath: String?) throws -> Model {
    let signature = try KerasFileSignature(path)
    if signature.isZip {
      try refuse(configPath, "a .keras archive")
      return try readArchive(KerasArchive(path: path))
    }
    if (path as NSString).pathExtension.lowercased() == "keras" {
      throw KerasError.invalidModel("not a .keras archive (no zip signature; truncated?)")
    }
    if (path as NSString).pathExtension.lowercased() == "json" {
      throw KerasError.invalidModel(
        "is a JSON architecture: give the weights file as the model and this file as --config")
    }
    let root = try HDF5File(opening: path).root
    if try root.hasAttribute("model_config") {
      try refuse(configPath, "a full-model file")
      guard try root.kind(of: "model_weights") == .group else {
        throw KerasError.invalidModel(
          "has a model_config but no model_weights group (saved without weights?)")
      }
      let architecture = try KerasArchitecture(fullModel: root)
      let weights = try KerasLegacyWeights(
        group: root.group("model_weights"), config: architecture.config)
      return try model(architecture, weights, problems: weights.problems, kind: "full-model-h5")
    }
    if try root.hasAttribute("layer_names") || root.hasAttribute("layer_names0") {
      var architecture = try KerasArchitecture(
        configFile: try required(configPath, "a weights-only file (save_weights)"))
      let weights = try KerasLegacyWeights(group: root, config: architecture.config)
      if architecture.kerasVersion == nil {
        architecture.kerasVersion = try KerasArchitecture.optionalString(root, "keras_version")
      }
      if architecture.backend == nil {
        architecture.backend = try KerasArchitecture.optionalString(root, "backend")
      }
      return try model(architecture, weights, problems: weights.problems, kind: "weights-only-h5")
    }
    if try root.kind(of: "layers") == .group || root.kind(of: "vars") == .group {
      var architecture = try KerasArchitecture(
        configFile: try required(configPath, "a Keras 3 weights file (.weights.h5)"))
      architecture.writtenByKeras3 = architecture.kerasVersion == nil
      let weights = try KerasVarsWeights(root: root, config: architecture.config)
      return try model(architecture, weights, problems: weights.problems, kind: "weights-h5")
    }
    throw KerasError.invalidModel(
      "is an HDF5 file but not a Keras model or weights file (no model_config attribute, "
        + "layer_names attribute or layers group)")
  }

  private static func readArchive(_ archive: KerasArchive) throws -> Model {
    var architecture = try KerasArchitecture(
      json: String(decoding: try archive.data("config.json"), as: UTF8.self),
      source: "config.json in the .keras archive")
    if archive.contains("metadata.json") {
      let data = try archive.data("metadata.json")
      let metadata = try? JSONValue(parsing: data)
      architecture.kerasVersion = metadata?["keras_version"]?.string ?? architecture.kerasVersion
    }
    return try archive.withExtractedFile("model.weights.h5") { weightsPath in
      do {
        let root = try HDF5File(opening: weightsPath).root
        let weights = try KerasVarsWeights(root: root, config: architecture.config)
        return try model(architecture, weights, problems: weights.problems, kind: "keras-archive")
      } catch let error as HDF5Error {
        throw KerasError.invalidModel(
          "model.weights.h5 in the .keras archive is unreadable: "
            + error.description.replacingOccurrences(of: weightsPath, with: "model.weights.h5"))
      }
    }
  }

  /// Assembles the graph. When the weights do not fit, the assembler still runs so that the
  /// first layer refusing its weights is listed with the other problems.
  private static func model(
    _ architecture: KerasArchitecture, _ weights: any KerasWeightSource, problems: [String],
    kind: String
  ) throws -> Model {
    try architecture.requireSupportedBackend()
    let major = try architecture.kerasMajorVersion()
    let graph: Graph
    do {
      graph = try KerasModelAssembler.graph(
        architecture.config, weights: weights, kerasMajorVersion: major)
    } catch KerasError.weightMismatch(let unfitting) {
      throw KerasError.weightMismatch(problems + unfitting)
    } catch let error as KerasError where !problems.isEmpty {
      if case .layer = error { throw KerasError.weightMismatch(problems + ["\(error)"]) }
      throw error
    }
    guard problems.isEmpty else { throw KerasError.weightMismatch(problems) }
    var metadata = architecture.graftMetadata
    metadata["keras_file"] = kind
    metadata["keras_version"] = architecture.kerasVersion
    metadata["backend"] = architecture.backend
    metadata["training_config"] = architecture.trainingConfig
    return Model(
      graph: graph, format: .kerasH5, producerName: "keras",
      producerVersion: architecture.kerasVersion ?? "\(major)", metadata: metadata)
  }

  private static func refuse(_ configPath: String?, _ kind: String) throws {
    if let configPath {
      throw KerasError.invalidModel(
        "is \(kind) with its own architecture; --config '\(configPath)' is only for weights-only "
          + "files")
    }
  }

  private static func required(_ configPath: String?, _ kind: String) throws -> String {
    guard let configPath else {
      throw KerasError.invalidModel(
        "is \(kind): it holds weights but no architecture (no model_config); give the "
          + "architecture with --config (model.to_json()'s JSON, a config.json or a full-model "
          + ".h5)")
    }
    return configPath
  }
}
