import Foundation

/// An error from reading or writing an HDF5 file, naming the file and the object at fault.
///
/// `description` is a complete sentence fragment for an `error: …` line, e.g.
/// `cannot open 'x.h5': not an HDF5 file (truncated or corrupted?)` or
/// `'x.h5': dataset '/features' has dtype int64, expected float32`. Where libhdf5 explained a
/// failure, its most specific message is appended as `(libhdf5: …)`.
public struct HDF5Error: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
  /// What went wrong, for callers that react differently to different failures.
  public enum Kind: Sendable, Equatable {
    /// The file does not exist, is not HDF5, is truncated, or cannot be created.
    case cannotOpen
    /// No group, dataset or attribute at the path or name asked for.
    case missingObject
    /// The object exists but is not what was asked for (a group where a dataset was expected,
    /// an attribute that is not a string, a null dataspace).
    case wrongKind
    /// The stored element type cannot be read or written as the requested type.
    case typeMismatch
    /// Element counts, ranks or row ranges do not fit the object's shape.
    case shapeMismatch
    /// The object claims a size beyond what can be read (absurd dims, overflowing products).
    case tooLarge
    /// The request itself is invalid (bad name, bad layout, string containing NUL).
    case invalidArgument
    /// The file was closed with `HDF5File.close()` before this call.
    case closed
    /// libhdf5 reported a failure (corrupted data, I/O error, unsupported filter).
    case libraryFailure
  }

  public let kind: Kind
  /// The path of the HDF5 file, as given when it was opened or created.
  public let file: String
  /// The absolute path of the object at fault inside the file (`/model_weights/dense`), if any.
  public let object: String?
  /// The full message.
  public let description: String

  public var errorDescription: String? { description }

  init(_ kind: Kind, file: String, object: String? = nil, message: String, detail: String? = nil) {
    self.kind = kind
    self.file = file
    self.object = object
    self.description = message + (detail.map { " (libhdf5: \($0))" } ?? "")
  }
}

/// Where an operation happens, for building errors: the file and one object in it.
///
/// `subject` is how the object is named in messages: `dataset '/features'`,
/// `attribute 'layer_names' of '/'`.
struct HDF5Site {
  let file: String
  let object: String
  let subject: String

  /// The file's name in quotes, as every message spells it.
  var quotedFile: String { "'\(file)'" }

  /// An error about this object: `'x.h5': <subject> <problem>`.
  func error(_ kind: HDF5Error.Kind, _ problem: String, detail: String? = nil) -> HDF5Error {
    HDF5Error(
      kind, file: file, object: object, message: "\(quotedFile): \(subject) \(problem)",
      detail: detail)
  }

  /// The same object seen through an attribute of it.
  func attribute(_ name: String) -> HDF5Site {
    HDF5Site(file: file, object: object, subject: "attribute '\(name)' of '\(object)'")
  }
}
