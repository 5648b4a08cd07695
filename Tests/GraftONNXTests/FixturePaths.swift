import Foundation

/// Locations of the committed fixtures, found from this file's path.
enum FixturePaths {
  static let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// Every `fixtures/onnx/<name>/` folder holding a `model.onnx`.
  static let onnxModels: [String] = {
    let root = repository.appendingPathComponent("fixtures/onnx")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
    return names.sorted().filter {
      FileManager.default.fileExists(atPath: root.appendingPathComponent("\($0)/model.onnx").path)
    }
  }()

  static func onnxModel(_ name: String) -> String {
    repository.appendingPathComponent("fixtures/onnx/\(name)/model.onnx").path
  }

  static func onnxFolder(_ name: String) -> URL {
    repository.appendingPathComponent("fixtures/onnx/\(name)")
  }

  static func badONNX(_ file: String) -> String {
    repository.appendingPathComponent("fixtures/bad_onnx/\(file)").path
  }
}
