import CSV
import Foundation

/// One input of an image collection.
public struct DatasetItem: Hashable, Sendable {
  /// The path relative to the collection's root (the folder, or the CSV's folder): the cache's
  /// `/ids` entry.
  public var id: String
  /// The file to read.
  public var path: String
  /// Index into the collection's `labelNames`, nil for unlabelled data.
  public var label: Int?
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
///   paths relative to the CSV's folder: labels are the distinct label texts, sorted.
///
/// Images are files ending in `.jpg`, `.jpeg` or `.png` (any case); the decoder then checks
/// their contents.
public struct ImageDataset: Sendable {
  public var items: [DatasetItem]
  /// Sorted class names; nil for unlabelled data.
  public var labelNames: [String]?

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
    labelNames = labelled ? classes.sorted() : nil
    let index = Dictionary(uniqueKeysWithValues: (labelNames ?? []).enumerated().map { ($1, $0) })
    items = images.map { id in
      DatasetItem(
        id: id, path: root.appendingPathComponent(id).path,
        label: labelled ? index[String(id.split(separator: "/")[0])] : nil)
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
    var rows: [(id: String, label: String)] = []
    var row = 0
    while let fields = reader.next() {
      row += 1
      if row == 1, fields.map({ $0.lowercased() }) == ["path", "label"] { continue }
      if fields.allSatisfy(\.isEmpty) { continue }
      guard fields.count == 2, !fields[0].isEmpty, !fields[1].isEmpty else {
        throw DatasetError.badRow(
          path: path, row: row, reason: "expected 'path,label', got \(fields.count) fields")
      }
      rows.append((fields[0], fields[1]))
    }
    if let error = reader.error {
      throw DatasetError.badRow(path: path, row: row + 1, reason: "\(error)")
    }
    let names = Set(rows.map(\.label)).sorted()
    let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
    labelNames = names
    items = rows.map {
      DatasetItem(
        id: $0.id, path: folder.appendingPathComponent($0.id).path, label: index[$0.label])
    }.sorted { $0.id < $1.id }
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
