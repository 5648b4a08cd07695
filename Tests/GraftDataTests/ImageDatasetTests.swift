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

/// Class subfolders give sorted label names and labels by folder, images found recursively and
/// by extension in any case, in sorted order.
@Test func classFoldersAreLabelled() throws {
  let root = try folder(with: ["dog/c.JPG", "cat/b/z.png", "cat/a.jpeg", "cat/notes.txt"])
  let dataset = try ImageDataset(contentsOf: root.path)
  #expect(dataset.labelNames == ["cat", "dog"])
  #expect(dataset.items.map(\.id) == ["cat/a.jpeg", "cat/b/z.png", "dog/c.JPG"])
  #expect(dataset.items.map(\.label) == [0, 0, 1])
  #expect(dataset.items[0].path == root.appendingPathComponent("cat/a.jpeg").path)
}

/// Images directly in the folder are unlabelled.
@Test func flatFolderIsUnlabelled() throws {
  let dataset = try ImageDataset(contentsOf: try folder(with: ["b.png", "a.jpg"]).path)
  #expect(dataset.labelNames == nil)
  #expect(dataset.items.map(\.id) == ["a.jpg", "b.png"])
  #expect(dataset.items.allSatisfy { $0.label == nil })
}

/// A CSV of path,label with a header and a quoted path: labels are the sorted label texts.
@Test func csvRowsAreLabelled() throws {
  let root = try folder(with: [])
  try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
  let csv = root.appendingPathComponent("list.csv")
  try "path,label\nimgs/b.jpg,zebra\n\"imgs/a, 1.jpg\",ant\n".write(
    to: csv, atomically: true, encoding: .utf8)
  let dataset = try ImageDataset(contentsOf: csv.path)
  #expect(dataset.labelNames == ["ant", "zebra"])
  #expect(dataset.items.map(\.id) == ["imgs/a, 1.jpg", "imgs/b.jpg"])
  #expect(dataset.items.map(\.label) == [0, 1])
  #expect(dataset.items[1].path == root.appendingPathComponent("imgs/b.jpg").path)
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
