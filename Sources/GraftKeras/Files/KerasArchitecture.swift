import Foundation
import GraftHDF5

/// A model's architecture with what its file says about the Keras that wrote it.
struct KerasArchitecture {
  var config: KerasModelConfig
  /// `keras_version` as written (`2.21.0`, `3.15.1`), if the file says.
  var kerasVersion: String?
  var backend: String?
  /// The serialized `training_config` of a compiled model, if any.
  var trainingConfig: String?
  /// Whether the config is in Keras 3's serialization (which records no version).
  var writtenByKeras3 = false
  /// Root string attributes named `graft.…` (a head's description in a model that
  /// `graft attach` wrote), by name.
  var graftMetadata: [String: String] = [:]

  /// Parses a `{"class_name": …, "config": …}` document (`model_config`, `model.to_json()`,
  /// `config.json`); a `keras_version` or `backend` member at its top is kept.
  init(json text: String, source: String) throws {
    let json: JSONValue
    do {
      json = try JSONValue(parsing: Data(text.utf8))
    } catch {
      throw KerasError.invalidModel("\(source) is not valid JSON")
    }
    config = try KerasModelConfig(json)
    kerasVersion = json["keras_version"]?.string
    backend = json["backend"]?.string
    // Keras 3 writes `module` / `registered_name` beside every class name and no version.
    writtenByKeras3 = json["module"] != nil
  }

  /// The architecture stored in a legacy full-model file: root attributes `model_config`,
  /// `keras_version`, `backend` and `training_config`.
  init(fullModel root: HDF5Group) throws {
    try self.init(json: try root.stringAttribute("model_config"), source: "model_config")
    kerasVersion = try Self.optionalString(root, "keras_version") ?? kerasVersion
    backend = try Self.optionalString(root, "backend") ?? backend
    trainingConfig = try Self.optionalString(root, "training_config")
    for name in try root.attributeNames() where name.hasPrefix("graft.") {
      graftMetadata[name] = try? root.stringAttribute(name)
    }
  }

  /// The architecture given with `--config`: a JSON file, or a full-model `.h5` / `.hdf5`.
  init(configFile path: String) throws {
    let head = try KerasFileSignature(path)
    if head.isHDF5 {
      let file = try HDF5File(opening: path)
      guard try file.root.hasAttribute("model_config") else {
        throw KerasError.invalidModel(
          "the --config file '\(path)' has no model_config: give model.to_json()'s JSON or a "
            + "full-model .h5")
      }
      try self.init(fullModel: file.root)
    } else {
      let data: Data
      do {
        data = try Data(contentsOf: URL(fileURLWithPath: path))
      } catch {
        throw KerasError.invalidModel("cannot read the --config file '\(path)'")
      }
      try self.init(
        json: String(decoding: data, as: UTF8.self), source: "the --config file '\(path)'")
    }
  }

  /// The Keras major version (2 or 3) from `keras_version`, else from the config's
  /// serialization.
  ///
  /// - Throws: for Keras 1 files, whose configs Graft does not read.
  func kerasMajorVersion() throws -> Int {
    let version = kerasVersion ?? (writtenByKeras3 ? "3" : "2")
    guard let major = Int(version.prefix { $0.isNumber }), major >= 2 else {
      throw KerasError.invalidModel(
        "written by Keras \(version); Graft reads files of Keras 2 and 3 (re-save it with a "
          + "newer Keras)")
    }
    return min(major, 3)
  }

  /// Refuses the Theano backend: its convolutions flip their kernels and its files predate the
  /// layouts Graft reads.
  func requireSupportedBackend() throws {
    guard backend?.lowercased() != "theano" else {
      throw KerasError.invalidModel(
        "written by Keras with the Theano backend, whose convolution kernels are flipped and "
          + "laid out differently; load it with Keras and re-save it with TensorFlow")
    }
  }

  static func optionalString(_ object: HDF5Group, _ name: String) throws -> String? {
    try object.hasAttribute(name) ? try object.stringAttribute(name) : nil
  }
}

/// The first bytes of a file, enough to tell HDF5 from a zip archive.
struct KerasFileSignature {
  let bytes: [UInt8]

  init(_ path: String) throws {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw KerasError.invalidModel("cannot open '\(path)': no such file or not readable")
    }
    defer { try? handle.close() }
    bytes = [UInt8]((try? handle.read(upToCount: 8)) ?? Data())
  }

  /// HDF5's signature (at offset 0; files with a user block are left to libhdf5).
  var isHDF5: Bool { bytes == [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A] }
  /// A zip local file header, as `.keras` archives start.
  var isZip: Bool { bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) }
}
