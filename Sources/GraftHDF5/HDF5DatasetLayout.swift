/// How a new dataset is stored: contiguous, or in chunks that may be compressed and may grow.
///
/// A dataset that grows by rows (`HDF5Dataset.appendRows`) must be chunked and extendable: its
/// first dimension is then unlimited. gzip and shuffle need chunks too; shuffle (applied before
/// gzip, as h5py does) groups the bytes of each element, which helps floats compress.
public struct HDF5DatasetLayout: Sendable, Equatable {
  /// How the dataset is cut into chunks.
  public enum Chunking: Sendable, Equatable {
    /// One contiguous block.
    case none
    /// Chunks of exactly this shape (same rank as the dataset).
    case shape([Int])
    /// Chunks of this many whole rows: `[rows] + shape.dropFirst()`.
    case rows(Int)
  }

  public var chunking: Chunking
  /// Whether the first dimension is unlimited.
  public var extendable: Bool
  /// gzip (deflate) level 0–9, or `nil` for no compression.
  public var gzipLevel: Int?
  public var shuffle: Bool

  public init(
    chunking: Chunking, extendable: Bool = false, gzipLevel: Int? = nil, shuffle: Bool = false
  ) {
    self.chunking = chunking
    self.extendable = extendable
    self.gzipLevel = gzipLevel
    self.shuffle = shuffle
  }

  /// One contiguous block of fixed shape.
  public static let contiguous = HDF5DatasetLayout(chunking: .none)

  /// Chunks of `shape`.
  public static func chunked(
    _ shape: [Int], extendable: Bool = false, gzipLevel: Int? = nil, shuffle: Bool = false
  ) -> HDF5DatasetLayout {
    HDF5DatasetLayout(
      chunking: .shape(shape), extendable: extendable, gzipLevel: gzipLevel, shuffle: shuffle)
  }

  /// Growable by rows, in chunks of `rowsPerChunk` whole rows: the feature cache's layout.
  public static func extendableRows(
    perChunk rowsPerChunk: Int, gzipLevel: Int? = nil, shuffle: Bool = false
  ) -> HDF5DatasetLayout {
    HDF5DatasetLayout(
      chunking: .rows(rowsPerChunk), extendable: true, gzipLevel: gzipLevel, shuffle: shuffle)
  }

  /// The chunk shape for a new dataset of `shape` (`nil` when contiguous).
  ///
  /// - Throws: `invalidArgument` when the layout does not fit the shape.
  func chunkShape(for shape: [Int], _ site: HDF5Site) throws -> [Int]? {
    func problem(_ reason: String) -> HDF5Error {
      site.error(.invalidArgument, "cannot be created with \(reason)")
    }
    let chunk: [Int]?
    switch chunking {
    case .none: chunk = nil
    case .shape(let given): chunk = given
    case .rows(let rows): chunk = shape.isEmpty ? [] : [rows] + shape.dropFirst().map { max($0, 1) }
    }
    guard let chunk else {
      if extendable || gzipLevel != nil || shuffle {
        throw problem("an extendable or filtered layout but no chunks")
      }
      return nil
    }
    if shape.isEmpty { throw problem("chunks: it is a scalar") }
    guard chunk.count == shape.count, chunk.allSatisfy({ $0 >= 1 }) else {
      throw problem("chunk shape \(chunk) for shape \(shape)")
    }
    for (axis, (chunkDim, dim)) in zip(chunk, shape).enumerated()
    where chunkDim > dim && !(extendable && axis == 0) {
      throw problem("chunk shape \(chunk) larger than its fixed shape \(shape)")
    }
    if let gzipLevel, !(0...9).contains(gzipLevel) {
      throw problem("gzip level \(gzipLevel) (not 0–9)")
    }
    return chunk
  }
}
