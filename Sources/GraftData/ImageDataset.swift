import CSV
import Foundation

/// One input of an image collection.
public struct DatasetItem: Hashable, Sendable {
  /// The path relative to the collection's root (the folder, or the CSV's folder): the cache's
  /// `/ids` entry.
  public var id: String
  /// The file to read.
  public var path: String
  /// For each of the collection's label columns, an index into its classes, or
  /// `LabelColumn.missing`.
  public var labels: [Int64]
}

/// Errors reading a collection, naming the file and, for a CSV, the row.
public enum DatasetError: Error, CustomStringConvertible {
  case missing(path: String)
  case empty(path: String)
  case badRow(path: String, row: Int, reason: String)
  case badShard(String)

  public var description: String {
    switch self {
    case .missing(let path): "'\(path)': no such folder or file"
    case .empty(let path): "'\(path)' holds no JPEG or PNG image"
    case .badRow(let path, let row, let reason): "'\(path)' row \(row): \(reason)"
    case .badShard(let text): "--shard '\(text)' should be K/N with 1 ≤ K ≤ N"
    }
  }
}

/// An image collection in one of the usual layouts, in a stable order (sorted by id).
///
/// - A folder with one subfolder per class (`root/<class>/…/<image>`, searched recursively as
///   torchvision's `ImageFolder` does): labels are the class names, sorted.
/// - A folder of images with no class subfolders: unlabelled.
/// - A CSV of `path,label` rows (an optional `path,label` header; fields may be double-quoted),
///   paths relative to the CSV's folder: labels are the distinct label texts, sorted. A CSV
///   whose header is `path,NAME1,NAME2,…` has one label column per name (several tasks of one
///   collection), and one that is just `path` has none; an empty label cell leaves that row
///   without a label in that column.
///
/// Images are files ending in `.jpg`, `.jpeg` or `.png` (any case); the decoder then checks
/// their contents.
public struct ImageDataset: Sendable {
  public var items: [DatasetItem]
  /// The label columns, in name order; none for unlabelled data.
  public var labelColumns: [LabelColumn]

  static let imageExtensions: Set<String> = ["jpg", "jpeg", "png"]

  /// Reads the collection at `path`.
  ///
  /// - Throws: `DatasetError` for a missing path, an empty collection or a bad CSV row.
  public init(contentsOf path: String) throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw DatasetError.missing(path: path)
    }
    if isDirectory.boolValue {
      try self.init(folder: path)
    } else {
      try self.init(csv: path)
    }
    guard !items.isEmpty else { throw DatasetError.empty(path: path) }
  }

  private init(folder: String) throws {
    let root = URL(fileURLWithPath: folder)
    let images = Self.images(under: root)
    let classes = Set(
      images.compactMap { $0.contains("/") ? String($0.split(separator: "/")[0]) : nil })
    let labelled = !classes.isEmpty && images.allSatisfy { $0.contains("/") }
    let names = classes.sorted()
    labelColumns = labelled ? [LabelColumn(classes: names)] : []
    let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, Int64($0)) })
    items = images.map { id in
      DatasetItem(
        id: id, path: root.appendingPathComponent(id).path,
        labels: labelled ? [index[String(id.split(separator: "/")[0])]!] : [])
    }
  }

  private init(csv path: String) throws {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw DatasetError.badRow(path: path, row: 0, reason: "cannot be read as UTF-8 text")
    }
    let reader: CSVReader
    do {
      reader = try CSVReader(string: text, trimFields: true)
    } catch {
      throw DatasetError.badRow(path: path, row: 1, reason: "\(error)")
    }
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
    var columnNames = [LabelColumn.defaultName]
    var rows: [(id: String, labels: [String])] = []
    var row = 0
    while let fields = reader.next() {
      row += 1
      if row == 1, fields.first?.lowercased() == "path" {
        columnNames = try Self.columnNames(header: fields, path: path)
        continue
      }
      if fields.allSatisfy(\.isEmpty) { continue }
      guard fields.count == 1 + columnNames.count, !fields[0].isEmpty else {
        let expected = (["path"] + columnNames).joined(separator: ",")
        throw DatasetError.badRow(
          path: path, row: row,
          reason: fields.first?.isEmpty == true
            ? "no path" : "expected '\(expected)', got \(fields.count) fields")
      }
      rows.append((fields[0], Array(fields.dropFirst())))
    }
    if let error = reader.error {
      throw DatasetError.badRow(path: path, row: row + 1, reason: "\(error)")
    }
    // Columns in name order, as a cache reads them back.
    let order = columnNames.indices.sorted { columnNames[$0] < columnNames[$1] }
    labelColumns = order.map { column in
      LabelColumn(
        name: columnNames[column],
        classes: Set(rows.map { $0.labels[column] }).subtracting([""]).sorted())
    }
    let indices = labelColumns.map { column in
      Dictionary(uniqueKeysWithValues: column.classes.enumerated().map { ($1, Int64($0)) })
    }
    items = rows.map { row in
      DatasetItem(
        id: row.id, path: folder.appendingPathComponent(row.id).path,
        labels: zip(order, indices).map { column, index in
          index[row.labels[column]] ?? LabelColumn.missing
        })
    }.sorted { $0.id < $1.id }
  }

  /// The label column names of a CSV header `path,NAME…` (`path,label` names the one default
  /// column).
  private static func columnNames(header: [String], path: String) throws -> [String] {
    let names = header.dropFirst().map { $0.lowercased() == "label" ? LabelColumn.defaultName : $0 }
    if let bad = names.first(where: { !LabelColumn.isValidName($0) }) {
      throw DatasetError.badRow(
        path: path, row: 1, reason: "'\(bad)' cannot name a label column (empty, or has '/')")
    }
    if Set(names).count != names.count {
      throw DatasetError.badRow(path: path, row: 1, reason: "a label column is named twice")
    }
    return names
  }

  /// The K-th (1-based) of N contiguous, disjoint slices: shards run one after another in K order
  /// give the items of the whole collection in order, so merged shards equal an unsharded run.
  public func shard(_ k: Int, of n: Int) -> ImageDataset {
    precondition(1 <= k && k <= n)
    var copy = self
    copy.items = Array(items[(items.count * (k - 1) / n)..<(items.count * k / n)])
    return copy
  }

  /// `K/N` parsed, as `--shard` takes it.
  public static func parseShard(_ text: String) throws -> (k: Int, n: Int) {
    let parts = text.split(separator: "/").compactMap { Int($0) }
    guard parts.count == 2, text.split(separator: "/").count == 2, 1 <= parts[0],
      parts[0] <= parts[1]
    else { throw DatasetError.badShard(text) }
    return (parts[0], parts[1])
  }

  /// The image files under `root`, as sorted paths relative to it.
  private static func images(under root: URL) -> [String] {
    guard
      let walker = FileManager.default.enumerator(
        at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
    else { return [] }
    let prefix = root.standardizedFileURL.path + "/"
    var found: [String] = []
    for case let url as URL in walker
    where imageExtensions.contains(url.pathExtension.lowercased()) {
      let path = url.standardizedFileURL.path
      if path.hasPrefix(prefix) { found.append(String(path.dropFirst(prefix.count))) }
    }
    return found.sorted()
  }
}
