import Dispatch
import Foundation

/// Inputs of a batch made ready for the trunk.
struct PreparedBatch: Sendable {
  /// The rows, `[rows, …]` in the trunk input's shape; nil when every input was skipped.
  var input: Tensor?
  var ids: [String]
  /// The rows' labels in each of the source's label columns (none for unlabelled data).
  var labels: [[Int64]]
  /// The inputs that could not be read, with the reason of each.
  var skipped: [(id: String, reason: String)]
  /// Inputs the batch covers: rows and skipped.
  var inputCount: Int { ids.count + skipped.count }
}

/// Where `graft extract` reads its inputs: an image collection or an array file, in a stable
/// order, so that a batch is named by its range of input indices.
protocol ExtractionSource: Sendable {
  var count: Int { get }
  /// The label columns, in name order; none for unlabelled data.
  var labelColumns: [LabelColumn] { get }
  /// Identifies the inputs in order, so that a partial cache is resumed only over the same ones.
  var fingerprint: String { get }
  /// The inputs in `range`, made ready for the trunk.
  ///
  /// - Throws: for an input that cannot be read when that is fatal (any array error; an image
  ///   under `--strict`).
  func prepare(_ range: Range<Int>) throws -> PreparedBatch
}

/// Errors reading one input, naming it.
public struct UnreadableInputError: Error, CustomStringConvertible {
  public var id: String
  public var reason: String
  public var description: String {
    "'\(id)': \(reason) (without --strict it would be skipped and listed in /skipped)"
  }
}

/// Images decoded and preprocessed in parallel, one task per image.
struct ImageSource: ExtractionSource {
  let dataset: ImageDataset
  let preprocessing: Preprocessing
  /// Whether an image that cannot be decoded stops the run.
  let strict: Bool

  var count: Int { dataset.items.count }
  var labelColumns: [LabelColumn] { dataset.labelColumns }
  var fingerprint: String {
    Digest.sha256(of: Data(dataset.items.map(\.id).joined(separator: "\n").utf8))
  }

  /// One preprocessed image's shape, in the preprocessing's layout.
  var rowShape: [Int] {
    let (side, channels) = (preprocessing.crop, preprocessing.channels)
    return preprocessing.layout == .nchw ? [channels, side, side] : [side, side, channels]
  }

  func prepare(_ range: Range<Int>) throws -> PreparedBatch {
    let items = Array(dataset.items[range])
    let rowSize = rowShape.reduce(1, *)
    var failures = [String?](repeating: nil, count: items.count)
    // Each image is preprocessed straight into its row of the batch.
    let buffer = TensorBuffer(byteCount: items.count * rowSize * 4) { bytes in
      let rows = SendablePointer(bytes.bindMemory(to: Float.self))
      failures.withUnsafeMutableBufferPointer { reasons in
        let reasonSlots = SendablePointer(reasons)
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
          do {
            preprocessing.apply(
              try ImageDecoder.decode(contentsOf: items[index].path),
              into: UnsafeMutableBufferPointer(start: rows.base + index * rowSize, count: rowSize))
          } catch let error as ImageError {
            reasonSlots.base[index] = error.reason
          } catch {
            reasonSlots.base[index] = "\(error)"
          }
        }
      }
    }
    var batch = PreparedBatch(
      input: nil, ids: [], labels: labelColumns.map { _ in [] }, skipped: [])
    var good: [Int] = []
    for (index, item) in items.enumerated() {
      if let reason = failures[index] {
        if strict { throw UnreadableInputError(id: item.id, reason: reason) }
        batch.skipped.append((item.id, reason))
      } else {
        good.append(index)
        batch.ids.append(item.id)
        for column in batch.labels.indices { batch.labels[column].append(item.labels[column]) }
      }
    }
    guard !good.isEmpty else { return batch }
    let compacted =
      good.count == items.count
      ? buffer
      : TensorBuffer(byteCount: good.count * rowSize * 4) { bytes in
        let destination = bytes.baseAddress!
        buffer.withUnsafeBytes { source in
          for (row, index) in good.enumerated() {
            (destination + row * rowSize * 4).copyMemory(
              from: source.baseAddress! + index * rowSize * 4, byteCount: rowSize * 4)
          }
        }
      }
    batch.input = Tensor(dtype: .float32, shape: [good.count] + rowShape, buffer: compacted)
    return batch
  }
}

/// Rows of an array file, converted to the trunk input's element type; no preprocessing.
struct ArraySource: ExtractionSource {
  let dataset: ArrayDataset
  let dtype: DType

  var count: Int { dataset.count }
  var labelColumns: [LabelColumn] { dataset.labelColumns }
  /// The ids of the first and last rows and the count: a shard's rows are contiguous.
  var fingerprint: String {
    let ends = dataset.ids(0..<min(1, count)) + dataset.ids(max(0, count - 1)..<count)
    return Digest.sha256(of: Data((ends + ["\(count)"]).joined(separator: "/").utf8))
  }

  func prepare(_ range: Range<Int>) throws -> PreparedBatch {
    PreparedBatch(
      input: try dataset.rows(range, as: dtype), ids: dataset.ids(range),
      labels: dataset.labels(range), skipped: [])
  }
}

/// A pointer that parallel tasks write through at disjoint indices.
private struct SendablePointer<Element>: @unchecked Sendable {
  let base: UnsafeMutablePointer<Element>
  init(_ buffer: UnsafeMutableBufferPointer<Element>) { base = buffer.baseAddress! }
}

/// The inputs of `data` (sharded as asked) for a model reading `input`, the shape of one row
/// after the batch, and the preprocessing for images (nil for arrays), which `preprocessing`
/// gives for the input.
///
/// - Throws: `ArrayDatasetError` for an array that does not fit `input`, `DatasetError` for an
///   image collection that cannot be read, `ExtractionError.badOption` for labels given with
///   images.
func inputSource(
  data: String, labels: [String], shard: (k: Int, n: Int)?, strict: Bool, input: ValueInfo,
  preprocessing: (ValueInfo) throws -> Preprocessing
) throws -> (any ExtractionSource, [Int], Preprocessing?) {
  let dtype = input.type.dtype ?? .float32
  if ArrayDataset.recognizes(data) {
    var dataset = try ArrayDataset(contentsOf: data, labels: LabelArray.parse(labels))
    try dataset.check(fits: (input.type.shape?.dropFirst() ?? []).map(\.value), dtype: dtype)
    if let shard { dataset = dataset.shard(shard.k, of: shard.n) }
    return (ArraySource(dataset: dataset, dtype: dtype), dataset.rowShape, nil)
  }
  guard labels.isEmpty else {
    throw ExtractionError.badOption("--labels is for array data; images take labels from DATA")
  }
  let chosen = try preprocessing(input)
  var dataset = try ImageDataset(contentsOf: data)
  if let shard { dataset = dataset.shard(shard.k, of: shard.n) }
  let source = ImageSource(dataset: dataset, preprocessing: chosen, strict: strict)
  return (source, source.rowShape, chosen)
}
