/// One label column of a dataset or feature cache (one task of a multi-task dataset): its name
/// and its class names, sorted. Rows hold indices into `classes`, or `missing` where a row has
/// no label in this column (an empty cell of a multi-column CSV).
///
/// Where a cache holds them (see `FeatureCache`): a single column named `label` is `/labels`
/// and `/label_names`, the layout of an ordinary labelled cache; any other set of columns is
/// `/labels/<name>` and `/label_names/<name>`, one pair per column, in name order.
public struct LabelColumn: Codable, Equatable, Sendable {
  /// The name of the column of a class-folder collection, a `path,label` CSV or one label array.
  public static let defaultName = "label"
  /// The index of a row that has no label in a column.
  public static let missing: Int64 = -1

  public var name: String
  /// Sorted class names.
  public var classes: [String]

  public init(name: String = defaultName, classes: [String]) {
    self.name = name
    self.classes = classes
  }

  /// Whether `name` can name a column: not empty, no `/` (it is an HDF5 dataset name) and not
  /// `.` or `..`.
  public static func isValidName(_ name: String) -> Bool {
    !name.isEmpty && !name.contains("/") && name != "." && name != ".."
  }

  /// The datasets that hold `columns` in a cache: each column's labels and class names.
  static func storage(of columns: [LabelColumn]) -> [(labels: String, names: String)] {
    if columns.count == 1, columns[0].name == defaultName { return [("labels", "label_names")] }
    return columns.map { ("labels/\($0.name)", "label_names/\($0.name)") }
  }
}

extension [LabelColumn] {
  /// The column named `name`, or with `name` nil the only one.
  ///
  /// - Throws: `LabelColumnError` naming `path` and the columns there are.
  public func column(named name: String?, in path: String) throws -> LabelColumn {
    guard !isEmpty else { throw LabelColumnError.unlabelled(path: path) }
    guard let name else {
      guard count == 1 else { throw LabelColumnError.whichColumn(path: path, columns: map(\.name)) }
      return self[0]
    }
    guard let column = first(where: { $0.name == name }) else {
      throw LabelColumnError.noSuchColumn(path: path, name: name, columns: map(\.name))
    }
    return column
  }
}

/// Errors choosing a label column, naming the file.
public enum LabelColumnError: Error, CustomStringConvertible {
  case unlabelled(path: String)
  case whichColumn(path: String, columns: [String])
  case noSuchColumn(path: String, name: String, columns: [String])

  public var description: String {
    switch self {
    case .unlabelled(let path): "'\(path)' has no labels"
    case .whichColumn(let path, let columns):
      "'\(path)' holds several label columns (\(Self.list(columns))); choose one with --labels"
    case .noSuchColumn(let path, let name, let columns):
      "'\(path)' has no label column '\(name)' (it holds \(Self.list(columns)))"
    }
  }

  private static func list(_ names: [String]) -> String {
    names.map { "'\($0)'" }.joined(separator: ", ")
  }
}
