import Foundation
import GraftHeads

/// fixtures/heads, written by tools/sklearn_heads.py (scikit-learn's results on a small set).
struct HeadsFixture {
  struct Expected: Decodable {
    struct Logistic: Decodable {
      var cvMeanAccuracy: [Double]
      var chosenC: Double
      var valAccuracy: Double
      var balancedC: Double
    }
    struct Ridge: Decodable {
      var c: Double
      var alpha: Double
    }
    struct SVM: Decodable {
      var c: Double
      var valAccuracy: Double
    }
    var grid: [Double]
    var folds: Int
    var logistic: Logistic
    var ridge: Ridge
    var svm: SVM
  }

  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
      "fixtures/heads")

  let training: TrainingSet
  let validation: TrainingSet
  let expected: Expected

  init() throws {
    training = try Self.set("train")
    validation = try Self.set("val")
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    expected = try decoder.decode(
      Expected.self, from: Data(contentsOf: Self.folder.appendingPathComponent("expected.json")))
  }

  private static func set(_ name: String) throws -> TrainingSet {
    let (features, shape) = try array("\(name)_x")
    let labels = try array("\(name)_y").values.map { Int32($0) }
    return TrainingSet(
      features: features.map { Float($0) }, rows: shape[0], columns: shape[1], labels: labels,
      classCount: Int(labels.max()!) + 1)
  }

  /// A little-endian, C-order .npy array of float32, float64 or int64, widened to double.
  static func array(_ name: String) throws -> (values: [Double], shape: [Int]) {
    let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent("\(name).npy")))
    let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
    let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
    precondition(header.contains("'fortran_order': False"), "\(name).npy is not C-order")
    let shapeText = header.split(separator: "(")[1].split(separator: ")")[0]
    let shape = shapeText.split(separator: ",").compactMap {
      Int($0.trimmingCharacters(in: .whitespaces))
    }
    let payload = Array(bytes[(10 + headerLength)...])
    let values: [Double] = payload.withUnsafeBytes { raw in
      if header.contains("'<f4'") {
        return (0..<(payload.count / 4)).map {
          Double(Float(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)))
        }
      }
      if header.contains("'<f8'") {
        return (0..<(payload.count / 8)).map {
          Double(bitPattern: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self))
        }
      }
      precondition(header.contains("'<i8'"), "\(name).npy: unexpected dtype in \(header)")
      return (0..<(payload.count / 8)).map {
        Double(raw.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self))
      }
    }
    return (values, shape)
  }
}

/// The largest absolute difference relative to the largest absolute reference value.
func relativeError(_ values: [Double], _ reference: [Double]) -> Double {
  precondition(values.count == reference.count)
  let scale = reference.reduce(0) { max($0, abs($1)) }
  return zip(values, reference).reduce(0) { max($0, abs($1.0 - $1.1)) } / scale
}

extension FittedHead {
  /// Accuracy of the head (standardisation included) on `data`.
  func accuracy(on data: TrainingSet) -> Double {
    let standardized = Standardizer(mean: mean, scale: scale).apply(to: data)
    let scores = HeadFit(layers: layers, converged: true, iterations: 0).scores(
      standardized, threads: 1)
    var correct = 0
    for row in 0..<data.rows {
      let rowScores = scores[(row * classCount)..<((row + 1) * classCount)]
      if rowScores.firstIndex(of: rowScores.max()!)! - row * classCount == Int(data.labels[row]) {
        correct += 1
      }
    }
    return Double(correct) / Double(data.rows)
  }
}
