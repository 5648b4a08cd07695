import Foundation
import GraftHDF5
import GraftIR

/// Where an array lives: a `.npy` file, or a dataset in an HDF5 file.
public struct ArrayLocation: Hashable, Sendable, CustomStringConvertible {
  /// The file's path.
  public var file: String
  /// The absolute dataset path in an HDF5 file (`/images`), nil for a `.npy` file.
  public var dataset: String?

  /// Parses `PATH.npy` or `PATH.h5:/dataset` (`.hdf5`; extensions in any case), or gives nil.
  ///
  /// The file part ends at the first `.h5:/` or `.hdf5:/`; the rest is the dataset's path.
  public init?(spec: String) {
    for suffix in [".h5:/", ".hdf5:/"] {
      if let range = spec.range(of: suffix, options: .caseInsensitive) {
        file = String(spec[..<spec.index(range.upperBound, offsetBy: -2)])
        dataset = "/" + spec[range.upperBound...]
        return
      }
    }
    guard spec.lowercased().hasSuffix(".npy") else { return nil }
    file = spec
    dataset = nil
  }

  /// `'x.npy'`, or `'x.h5' dataset '/images'`.
  public var description: String {
    "'\(file)'" + (dataset.map { " dataset '\($0)'" } ?? "")
  }
}

/// An open array: a `.npy` file or an HDF5 dataset, read a range of rows at a time.
///
/// Both cases hold their open file (a descriptor, an HDF5 handle) for as long as the source
/// lives, so that reading a batch neither reopens the file nor reparses its header.
enum ArraySource: Sendable {
  case npy(NPYFile)
  case hdf5(HDF5Dataset)

  /// Opens the array at `location`.
  ///
  /// - Throws: `ArrayDatasetError` for a missing file or dataset and an element type without a
  ///   tensor dtype; `NPYError` or `HDF5Error` for a file that cannot be read.
  static func open(_ location: ArrayLocation) throws -> (ArraySource, shape: [Int], DType) {
    guard FileManager.default.fileExists(atPath: location.file) else {
      throw ArrayDatasetError.missingFile(location)
    }
    guard let path = location.dataset else {
      let file = try NPYFile(opening: location.file)
      return (.npy(file), file.header.shape, file.header.dtype)
    }
    let root = try HDF5File(opening: location.file).root
    guard try root.kind(of: path) == .dataset else {
      let nearest = try nearestGroup(to: path, in: root)
      throw ArrayDatasetError.missingDataset(
        location, nearest: nearest, children: try root.group(nearest).childNames())
    }
    let dataset = try root.dataset(path)
    guard let dtype = dataset.elementType.tensorDType else {
      throw ArrayDatasetError.unsupportedElementType(
        location, type: dataset.elementType.description)
    }
    return (.hdf5(dataset), try dataset.shape, dtype)
  }

  /// Rows `rows` of the array, in its own dtype.
  func rows(_ rows: Range<Int>) throws -> Tensor {
    switch self {
    case .npy(let file): try file.rows(rows)
    case .hdf5(let dataset): try dataset.readTensor(rows: rows)
    }
  }

  /// The deepest group on the way to absolute `path` (`path` itself when it is a group).
  private static func nearestGroup(to path: String, in root: HDF5Group) throws -> String {
    var nearest = "/"
    for component in path.split(separator: "/") {
      let next = (nearest == "/" ? "" : nearest) + "/" + component
      guard try root.kind(of: next) == .group else { break }
      nearest = next
    }
    return nearest
  }
}
