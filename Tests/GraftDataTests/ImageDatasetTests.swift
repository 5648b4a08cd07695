import Foundation
import GraftData
import Testing

/// A temporary folder holding `files` (relative paths) with a few bytes each.
private func folder(with files: [String]) throws -> URL {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent(
    "graft-dataset-\(UUID().uuidString)")
  for file in files {
    let url = root.appendingPathComponent(file)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data("x".utf8).write(to: url)
  }
  return root
}

/// A CSV file of `text` in a new temporary folder.
private func csvFile(_ text: String, named name: String) throws -> URL {
  let root = try folder(with: [])
  try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
  let csv = root.appendingPathComponent(name)
  try text.write(to: csv, atomically: true, encoding: .utf8)
  return csv
}

/// Class subfolders give sorted label names and labels by folder, images found recursively and
/// by extension in any case, in sorted order.
@Test func classFoldersAreLabelled() throws {
  let root = try folder(with: ["dog/c.JPG", "cat/b/z.png", "cat/a.jpeg", "cat/notes.txt"])
  let dataset = try ImageDataset(contentsOf: root.path)
  #expect(dataset.labelColumns == [LabelColumn(name: "label", classes: ["cat", "dog"])])
  #expect(dataset.items.map(\.id) == ["cat/a.jpeg", "cat/b/z.png", "dog/c.JPG"])
  #expect(dataset.items.map(\.labels) == [[0], [0], [1]])
  #expect(dataset.items[0].path == root.appendingPathComponent("cat/a.jpeg").path)
}

/// Images directly in the folder are unlabelled.
@Test func flatFolderIsUnlabelled() throws {
  let dataset = try ImageDataset(contentsOf: try folder(with: ["b.png", "a.jpg"]).path)
  #expect(dataset.labelColumns.isEmpty)
  #expect(dataset.items.map(\.id) == ["a.jpg", "b.png"])
  #expect(dataset.items.allSatisfy { $0.labels.isEmpty })
}

/// A CSV of path,label with a header and a quoted path: labels are the sorted label texts.
@Test func csvRowsAreLabelled() throws {
  let csv = try csvFile("path,label\nimgs/b.jpg,zebra\n\"imgs/a, 1.jpg\",ant\n", named: "list.csv")
  let dataset = try ImageDataset(contentsOf: csv.path)
  #expect(dataset.labelColumns == [LabelColumn(name: "label", classes: ["ant", "zebra"])])
  #expect(dataset.items.map(\.id) == ["imgs/a, 1.jpg", "imgs/b.jpg"])
  #expect(dataset.items.map(\.labels) == [[0], [1]])
  #expect(
    dataset.items[1].path
      == csv.deletingLastPathComponent().appendingPathComponent("imgs/b.jpg").path)
}

/// A CSV with a header `path,NAME…` has one label column per name, in name order, each with
/// its sorted classes; an empty cell leaves the row without a label in that column.
@Test func csvHeaderNamesLabelColumns() throws {
  let csv = try csvFile(
    "path,species,colour\nb.jpg,dog,\na.jpg,cat,red\nc.jpg,,blue\n", named: "tasks.csv")
  let dataset = try ImageDataset(contentsOf: csv.path)
  #expect(
    dataset.labelColumns == [
      LabelColumn(name: "colour", classes: ["blue", "red"]),
      LabelColumn(name: "species", classes: ["cat", "dog"]),
    ])
  #expect(dataset.items.map(\.id) == ["a.jpg", "b.jpg", "c.jpg"])
  #expect(dataset.items.map(\.labels) == [[1, 0], [-1, 1], [0, -1]])
}

/// A CSV whose header is just `path` lists unlabelled images.
@Test func csvOfPathsIsUnlabelled() throws {
  let csv = try csvFile("path\nb.jpg\na.jpg\n", named: "list.csv")
  let dataset = try ImageDataset(contentsOf: csv.path)
  #expect(dataset.labelColumns.isEmpty && dataset.items.map(\.labels) == [[], []])
}

/// Header names that cannot name a column, or name one twice, are refused, naming row 1.
@Test(arguments: ["path,a/b\nx.jpg,1\n", "path,,b\nx.jpg,1,2\n", "path,a,a\nx.jpg,1,2\n"])
func badCSVHeadersAreRefused(text: String) throws {
  let csv = try csvFile(text, named: "list.csv")
  #expect { try ImageDataset(contentsOf: csv.path) } throws: {
    "\($0)".hasPrefix("'\(csv.path)' row 1: ")
  }
}

/// A CSV row without a label, a missing path and an empty folder each name what is wrong.
@Test func badCollectionsNameTheirFault() throws {
  let root = try folder(with: ["readme.txt"])
  let csv = root.appendingPathComponent("list.csv")
  try "a.jpg,cat\nb.jpg\n".write(to: csv, atomically: true, encoding: .utf8)
  #expect { try ImageDataset(contentsOf: csv.path) } throws: { "\($0)".contains("row 2") }
  #expect { try ImageDataset(contentsOf: root.path + "/nowhere") } throws: {
    "\($0)".contains("no such folder")
  }
  #expect { try ImageDataset(contentsOf: root.path) } throws: { "\($0)".contains("no JPEG") }
}

/// Shards are disjoint, contiguous and in order: together they are the whole collection.
@Test func shardsPartitionTheCollection() throws {
  let names = (0..<10).map { "img\($0).png" }
  let dataset = try ImageDataset(contentsOf: try folder(with: names).path)
  let shards = (1...3).map { dataset.shard($0, of: 3) }
  #expect(shards.flatMap(\.items) == dataset.items)
  #expect(shards.map(\.items.count) == [3, 3, 4])
  #expect(try ImageDataset.parseShard("2/3") == (2, 3))
  #expect(throws: DatasetError.self) { try ImageDataset.parseShard("4/3") }
  #expect(throws: DatasetError.self) { try ImageDataset.parseShard("1/2/3") }
}
