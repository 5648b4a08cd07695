import GraftIR

/// Errors opening or reading an array dataset, naming the file and, in HDF5, the dataset.
public enum ArrayDatasetError: Error, CustomStringConvertible {
  /// The spec is neither `PATH.npy` nor `PATH.h5:/dataset` (`.hdf5`).
  case notArrayFile(spec: String)
  /// The file does not exist.
  case missingFile(ArrayLocation)
  /// The HDF5 file has no dataset at the path; `nearest` is the deepest group on the way to it,
  /// holding `children`.
  case missingDataset(ArrayLocation, nearest: String, children: [String])
  /// The element type (an HDF5 string, uint64 or compound) has no tensor dtype.
  case unsupportedElementType(ArrayLocation, type: String)
  /// The array is a scalar: it has no first axis to take rows from.
  case noRowAxis(ArrayLocation)
  /// The first axis is empty.
  case noRows(ArrayLocation, shape: [Int])
  /// The labels array is not one label per row of the data.
  case labelsMismatch(ArrayLocation, shape: [Int], rows: Int, data: ArrayLocation)
  /// The labels array is not of an integer type.
  case labelsNotInteger(ArrayLocation, dtype: DType)
  /// Several label arrays, one of them not named `NAME=SPEC` (or named with an empty name or
  /// one with `/`).
  case unnamedLabelColumn(spec: String)
  /// Two label arrays name the same column.
  case labelColumnTwice(name: String)
  /// Rows of `from` cannot be given as `to`.
  case unsupportedConversion(ArrayLocation, from: DType, to: DType)
  /// The rows do not fit a model input of `wantedShape` (after the batch dimension, nil for any
  /// size) and `wantedDType`.
  case doesNotFit(
    ArrayLocation, rowShape: [Int], dtype: DType, wantedShape: [Int?], wantedDType: DType)

  public var description: String {
    switch self {
    case .notArrayFile(let spec):
      return "'\(spec)' is not an array file: give a .npy file or an HDF5 dataset as FILE.h5:/name"
    case .missingFile(let location):
      return "'\(location.file)': no such file"
    case .missingDataset(let location, let nearest, let children):
      let holds = children.isEmpty ? "is empty" : "holds " + children.joined(separator: ", ")
      return "'\(location.file)' has no dataset '\(location.dataset ?? "")' ('\(nearest)' \(holds))"
    case .unsupportedElementType(let location, let type):
      return "\(location) holds \(type) elements, which cannot be model inputs"
    case .noRowAxis(let location):
      return "\(location) is a scalar; samples are the rows of its first axis"
    case .noRows(let location, let shape):
      return "\(location) holds no rows (shape \(shape))"
    case .labelsMismatch(let location, let shape, let rows, let data):
      return
        "labels \(location) have shape \(shape); expected one label per row of \(data): [\(rows)]"
    case .labelsNotInteger(let location, let dtype):
      return
        "labels \(location) are \(dtype.rawValue); labels must be integers, e.g. saved with "
        + ".astype('int64')"
    case .unnamedLabelColumn(let spec):
      return "--labels '\(spec)': several label arrays each need a column name, as "
        + "NAME=FILE.npy or NAME=FILE.h5:/dataset (a name has no '/')"
    case .labelColumnTwice(let name):
      return "two label arrays are named '\(name)'; give each label column its own name"
    case .unsupportedConversion(let location, let from, let to):
      return "\(location) holds \(from.rawValue) rows, which do not convert to \(to.rawValue)"
        + Self.conversions
    case .doesNotFit(let location, let rowShape, let dtype, let wantedShape, let wantedDType):
      let wanted =
        "[" + wantedShape.map { $0.map(String.init) ?? "?" }.joined(separator: ", ") + "]"
      var text =
        "\(location) has rows of shape \(rowShape) (\(dtype.rawValue)); the model takes "
        + "\(wanted) (\(wantedDType.rawValue)) after the batch dimension"
      if !ArrayDataset.converts(dtype, to: wantedDType) { text += Self.conversions }
      return text
    }
  }

  /// The conversions rows allow, for messages.
  private static let conversions =
    " (rows are read as stored, or as float32 from float16/float64 and integer types)"
}
