import Foundation
import ZIPFoundation

/// A `.keras` archive: a zip holding `config.json` (the architecture), `model.weights.h5` (the
/// weights in the Keras 3 layout) and `metadata.json` (`keras_version`, `date_saved`).
struct KerasArchive {
  let path: String
  private let archive: Archive

  init(path: String) throws {
    self.path = path
    do {
      archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
    } catch {
      throw KerasError.invalidModel(
        "not a readable .keras archive: the zip directory is missing or damaged (truncated or "
          + "corrupted?)")
    }
  }

  func contains(_ name: String) -> Bool { archive[name] != nil }

  /// The contents of entry `name`, checked against its CRC-32.
  func data(_ name: String) throws -> Data {
    let entry = try self.entry(name)
    var data = Data()
    let checksum = try extracting(name) {
      try archive.extract(entry, skipCRC32: false) { data.append($0) }
    }
    try verify(checksum, entry)
    return data
  }

  /// Runs `body` on entry `name` written to a temporary file, which is deleted afterwards.
  func withExtractedFile<T>(_ name: String, _ body: (String) throws -> T) throws -> T {
    let entry = try self.entry(name)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "graft-keras-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent((name as NSString).lastPathComponent)
    let checksum = try extracting(name) { try archive.extract(entry, to: file) }
    try verify(checksum, entry)
    return try body(file.path)
  }

  private func entry(_ name: String) throws -> Entry {
    guard let entry = archive[name] else {
      let names = archive.map(\.path).sorted()
      throw KerasError.invalidModel(
        "the .keras archive has no \(name) (entries: \(names.joined(separator: ", ")))")
    }
    return entry
  }

  private func extracting(_ name: String, _ body: () throws -> CRC32) throws -> CRC32 {
    do {
      return try body()
    } catch {
      throw KerasError.invalidModel(
        "cannot extract \(name) from the .keras archive (truncated or corrupted?): \(error)")
    }
  }

  private func verify(_ checksum: CRC32, _ entry: Entry) throws {
    guard checksum == entry.checksum else {
      throw KerasError.invalidModel(
        "\(entry.path) in the .keras archive is corrupted (CRC-32 mismatch)")
    }
  }
}
