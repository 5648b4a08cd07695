import GraftIR

/// Samples stored as the rows of one array: a `.npy` file or an HDF5 dataset.
///
/// Row `r` is the slice `[r, …]` along the first axis and is one model input as it is (no
/// preprocessing), of shape `rowShape`. Rows are read a range at a time from a file kept open, so
/// memory stays bounded by the batch whatever the file's size; only the labels (one integer per
/// row) are held in memory.
///
/// Labels come from a second array (`.npy` or HDF5, possibly the same file) holding one integer
/// per row, of any integer type; several such arrays make several label columns (see
/// `LabelArray`). Float labels are refused even when they hold whole numbers, so
/// that `3.5` is never silently truncated: save them with `.astype('int64')`. The class names
/// are the distinct label values sorted numerically, as decimal text (`[2, 10, 2, 7]` gives
/// `["2", "7", "10"]` and indices `[0, 2, 0, 1]`).
///
/// Rows are given as stored, or as float32 from float16, float64 and integer types (what a
/// float model takes); bool rows convert to nothing else. HDF5 int16/uint16 read as int32 and
/// uint32 as int64 (`HDF5ElementType.tensorDType`), and that is the `dtype` reported.
public struct ArrayDataset: Sendable {
  /// The data array's file and, in HDF5, dataset.
  public let location: ArrayLocation
  /// Rows in this dataset (after sharding).
  public private(set) var count: Int
  /// The shape of one row: the array's shape after the first axis.
  public let rowShape: [Int]
  /// The element type in the file.
  public let dtype: DType
  /// The label columns, in name order, each with its distinct label values sorted numerically
  /// as decimal text; none without labels. `labels(_:)` gives indices into them.
  public let labelColumns: [LabelColumn]

  private let source: ArraySource
  /// The first row of this dataset in the whole file (non-zero after sharding).
  private var offset = 0
  /// For each label column, for every row of the whole file, its label's index into the
  /// column's classes.
  private let labelIndices: [[Int64]]

  /// Opens the array named by `spec` and, optionally, its labels.
  ///
  /// - Parameters:
  ///   - spec: `PATH.npy` or `PATH.h5:/dataset` (also `.hdf5`).
  ///   - labels: 1-D integer arrays with one label per row, one per label column.
  /// - Throws: `ArrayDatasetError` for a spec that names no array file, a missing file or
  ///   dataset, a scalar or empty array, an unsupported element type, or unusable labels;
  ///   `NPYError` or `HDF5Error` for a file that cannot be read (a truncated `.npy` included).
  public init(contentsOf spec: String, labels: [LabelArray] = []) throws {
    guard let location = ArrayLocation(spec: spec) else {
      throw ArrayDatasetError.notArrayFile(spec: spec)
    }
    let (source, shape, dtype) = try ArraySource.open(location)
    guard let rows = shape.first else { throw ArrayDatasetError.noRowAxis(location) }
    guard rows > 0 else { throw ArrayDatasetError.noRows(location, shape: shape) }
    self.location = location
    self.source = source
    self.count = rows
    self.rowShape = Array(shape.dropFirst())
    self.dtype = dtype
    var columns: [LabelColumn] = []
    var indices: [[Int64]] = []
    for array in labels.sorted(by: { $0.column < $1.column }) {
      guard columns.last?.name != array.column else {
        throw ArrayDatasetError.labelColumnTwice(name: array.column)
      }
      let values = try Self.readLabels(array.spec, rows: rows, data: location)
      let names = Set(values).sorted()
      let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, Int64($0)) })
      columns.append(LabelColumn(name: array.column, classes: names.map(String.init)))
      indices.append(values.map { index[$0]! })
    }
    labelColumns = columns
    labelIndices = indices
  }

  /// Rows `range` (relative to this dataset, within `0..<count`) as `dtype`, of shape
  /// `[range.count] + rowShape`.
  ///
  /// - Parameter dtype: the file's dtype, or float32 for float16, float64 and integer rows.
  /// - Throws: `ArrayDatasetError.unsupportedConversion` for any other dtype; `NPYError` or
  ///   `HDF5Error` when reading fails.
  public func rows(_ range: Range<Int>, as dtype: DType) throws -> Tensor {
    precondition(range.lowerBound >= 0 && range.upperBound <= count, "rows out of range")
    guard Self.converts(self.dtype, to: dtype) else {
      throw ArrayDatasetError.unsupportedConversion(location, from: self.dtype, to: dtype)
    }
    let stored = try source.rows((offset + range.lowerBound)..<(offset + range.upperBound))
    return dtype == self.dtype ? stored : Self.float32(stored)
  }

  /// The labels of rows `range` in each label column, as indices into its classes.
  public func labels(_ range: Range<Int>) -> [[Int64]] {
    labelIndices.map { Array($0[(offset + range.lowerBound)..<(offset + range.upperBound)]) }
  }

  /// The cache's `/ids` for rows `range`: each row's number in the whole file, as decimal text.
  public func ids(_ range: Range<Int>) -> [String] {
    ((offset + range.lowerBound)..<(offset + range.upperBound)).map(String.init)
  }

  /// The K-th (1-based) of N contiguous, disjoint slices of rows
  /// `count·(k−1)/n ..< count·k/n`, as `ImageDataset.shard` cuts them; ids stay the row numbers
  /// in the whole file, so merged shards equal an unsharded run.
  public func shard(_ k: Int, of n: Int) -> ArrayDataset {
    precondition(1 <= k && k <= n)
    var copy = self
    copy.offset = offset + count * (k - 1) / n
    copy.count = count * k / n - count * (k - 1) / n
    return copy
  }

  /// Checks that rows fit a model input of `shape` (after the batch dimension; nil entries take
  /// any size) and `dtype`, as `rows(_:as:)` would give them.
  ///
  /// - Throws: `ArrayDatasetError.doesNotFit`, naming the file, its row shape and dtype, and
  ///   what the model takes.
  public func check(fits shape: [Int?], dtype: DType) throws {
    let shapeFits =
      shape.count == rowShape.count && zip(shape, rowShape).allSatisfy { $0 == nil || $0 == $1 }
    guard shapeFits && Self.converts(self.dtype, to: dtype) else {
      throw ArrayDatasetError.doesNotFit(
        location, rowShape: rowShape, dtype: self.dtype, wantedShape: shape, wantedDType: dtype)
    }
  }

  /// Whether `spec` names an array file: ends in `.npy`, or contains `.h5:/` or `.hdf5:/`.
  public static func recognizes(_ spec: String) -> Bool { ArrayLocation(spec: spec) != nil }

  /// Whether rows stored as `stored` can be given as `wanted`.
  static func converts(_ stored: DType, to wanted: DType) -> Bool {
    stored == wanted || (wanted == .float32 && stored != .bool)
  }

  /// The labels array at `spec`, checked to hold one integer per row of the data.
  private static func readLabels(_ spec: String, rows: Int, data: ArrayLocation) throws
    -> [Int64]
  {
    guard let location = ArrayLocation(spec: spec) else {
      throw ArrayDatasetError.notArrayFile(spec: spec)
    }
    let (source, shape, dtype) = try ArraySource.open(location)
    guard dtype.isInteger else { throw ArrayDatasetError.labelsNotInteger(location, dtype: dtype) }
    guard shape == [rows] else {
      throw ArrayDatasetError.labelsMismatch(location, shape: shape, rows: rows, data: data)
    }
    return try source.rows(0..<rows).integers()!
  }

  /// `tensor`, of a numeric dtype other than float32, converted to float32 element by element.
  private static func float32(_ tensor: Tensor) -> Tensor {
    let buffer = TensorBuffer(byteCount: tensor.count * DType.float32.byteSize) { bytes in
      let target = bytes.bindMemory(to: Float.self)
      tensor.buffer.withUnsafeBytes { stored in
        func convert<T>(_: T.Type, _ float: (T) -> Float) {
          stored.withMemoryRebound(to: T.self) { values in
            for index in values.indices { target[index] = float(values[index]) }
          }
        }
        switch tensor.dtype {
        case .float16: convert(Float16.self) { Float($0) }
        case .float64: convert(Double.self) { Float($0) }
        case .int8: convert(Int8.self) { Float($0) }
        case .uint8: convert(UInt8.self) { Float($0) }
        case .int32: convert(Int32.self) { Float($0) }
        case .int64: convert(Int64.self) { Float($0) }
        case .float32, .bool: preconditionFailure("no conversion from \(tensor.dtype) to float32")
        }
      }
    }
    return Tensor(dtype: .float32, shape: tensor.shape, buffer: buffer)
  }
}

/// One label column of array data: its name and the array of one integer label per row.
public struct LabelArray: Sendable, Equatable {
  public var column: String
  /// `PATH.npy` or `PATH.h5:/dataset`.
  public var spec: String

  public init(column: String = LabelColumn.defaultName, spec: String) {
    self.column = column
    self.spec = spec
  }

  /// The label arrays given as `--labels` values: `SPEC` alone makes the column `label`;
  /// `NAME=SPEC` names the column, which several arrays must do.
  ///
  /// - Throws: `ArrayDatasetError.unnamedLabelColumn` for several arrays not all named, or a
  ///   name that cannot name a column.
  public static func parse(_ texts: [String]) throws -> [LabelArray] {
    try texts.map { text in
      guard let named = named(text) else {
        guard texts.count == 1 else { throw ArrayDatasetError.unnamedLabelColumn(spec: text) }
        return LabelArray(spec: text)
      }
      guard LabelColumn.isValidName(named.column) else {
        throw ArrayDatasetError.unnamedLabelColumn(spec: text)
      }
      return named
    }
  }

  /// `NAME=SPEC` split, when the text before the first `=` has no `/` and the rest is an
  /// array spec; nil otherwise.
  private static func named(_ text: String) -> LabelArray? {
    guard let equals = text.firstIndex(of: "=") else { return nil }
    let (name, spec) = (String(text[..<equals]), String(text[text.index(after: equals)...]))
    guard !name.contains("/"), ArrayLocation(spec: spec) != nil else { return nil }
    return LabelArray(column: name, spec: spec)
  }
}
