import Foundation
import GraftHDF5

/// The repository root, where `fixtures/` lives.
let repository = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// `fixtures/hdf5/mixed.h5`, written by h5py (see its generate.py).
let mixedFixture = repository.appendingPathComponent("fixtures/hdf5/mixed.h5").path

/// A fresh, empty directory for one test's files, removed with everything in it when the
/// object goes away.
final class ScratchDirectory {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("graft-hdf5-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  /// The path of `name` inside the directory.
  func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// The `HDF5Error` that `body` throws, or `nil` when it throws nothing (or something else).
func hdf5Error(_ body: () throws -> Void) -> HDF5Error? {
  do {
    try body()
    return nil
  } catch {
    return error as? HDF5Error
  }
}
