import GraftIR

/// Where one axis of a copy reads its elements: source byte offsets of its positions.
enum AxisWalk: Sendable, Equatable {
  /// Positions `start, start + step, …` (in bytes), `count` of them.
  case stride(start: Int, step: Int, count: Int)
  /// Any positions, in bytes.
  case list([Int])

  var count: Int {
    switch self {
    case .stride(_, _, let count): count
    case .list(let offsets): offsets.count
    }
  }

  func offset(_ position: Int) -> Int {
    switch self {
    case .stride(let start, let step, _): start + position * step
    case .list(let offsets): offsets[position]
    }
  }

  /// Source element positions `indices` along an axis whose elements are `stride` bytes apart,
  /// as a stride when they are evenly spaced.
  static func positions(_ indices: [Int], stride: Int) -> AxisWalk {
    guard let first = indices.first else { return .stride(start: 0, step: stride, count: 0) }
    let step = indices.count > 1 ? indices[1] - indices[0] : 1
    let even = indices.indices.allSatisfy { indices[$0] == first + $0 * step }
    return even
      ? .stride(start: first * stride, step: step * stride, count: indices.count)
      : .list(indices.map { $0 * stride })
  }
}

/// A copy of elements, planned once for fixed shapes, from a source to a box of a destination.
///
/// Element `[o0, …, ok]` of the copied box is read at source byte offset
/// `Σ walks[a].offset(oa)` and written at destination byte offset `Σ oa · destinationStrides[a]`.
/// One plan expresses Transpose (permuted strides), Slice (strided walks), Tile, Gather, Resize
/// nearest and Pad (position lists), Concat and Split (a box inside a larger tensor). At plan time
/// axes of size 1 are dropped and neighbouring axes that walk both tensors evenly are merged, so
/// that `run` moves whole contiguous runs with `memcpy`, or tiles a 2-D transpose (NCHW ↔ NHWC
/// after merging), or copies element by element along the innermost axis.
struct IndexedCopy: Sendable {
  private enum Inner: Sendable {
    /// One contiguous run of this many bytes.
    case run(bytes: Int)
    /// Output rows `[rows, columns]` with contiguous destination rows and source columns.
    case transpose(rows: Int, columns: Int, sourceRowStep: Int, destinationRowStep: Int)
    /// Elements one by one along the innermost axis.
    case elements(AxisWalk, destinationStep: Int)
  }

  private let elementSize: Int
  private let sourceBase: Int
  private let destinationBase: Int
  private let outer: [AxisWalk]
  private let outerDestinationStrides: [Int]
  private let inner: Inner
  private let isEmpty: Bool
  /// Outer positions, each copying `inner` once.
  private let items: Int

  /// - Parameters:
  ///   - walks: per box axis, the source byte offsets of its positions.
  ///   - destinationStrides: per box axis, the destination byte step; nil for a dense box.
  ///   - destinationBase: the byte offset of the box in the destination.
  init(
    elementSize: Int, walks: [AxisWalk], destinationStrides: [Int]? = nil,
    destinationBase: Int = 0
  ) {
    self.elementSize = elementSize
    let counts = walks.map(\.count)
    let strides =
      destinationStrides
      ?? DataMovement.strides(counts).map { $0 * elementSize }
    isEmpty = counts.contains(0)
    var sourceBase = 0
    var axes: [(walk: AxisWalk, destination: Int)] = []
    for (walk, stride) in zip(walks, strides) {
      if walk.count == 1 {
        sourceBase += walk.offset(0)
        continue
      }
      if let last = axes.last,
        case .stride(let outerStart, let outerStep, let outerCount) = last.walk,
        case .stride(let start, let step, let count) = walk,
        outerStep == step * count, last.destination == stride * count
      {
        axes[axes.count - 1] = (
          .stride(start: outerStart + start, step: step, count: outerCount * count), stride
        )
        continue
      }
      axes.append((walk, stride))
    }
    let innermost = axes.popLast() ?? (.stride(start: 0, step: elementSize, count: 1), elementSize)
    var inner: Inner
    switch innermost.walk {
    case .stride(let start, let step, let count)
    where step == elementSize && innermost.destination == elementSize:
      sourceBase += start
      inner = .run(bytes: count * elementSize)
    default:
      inner = .elements(innermost.walk, destinationStep: innermost.destination)
    }
    if case .elements(.stride(let start, let step, let columns), let destinationStep) = inner,
      destinationStep == elementSize,
      let rows = axes.last, case .stride(let rowStart, let rowStep, let rowCount) = rows.walk,
      rowStep == elementSize, rowCount >= 4, columns >= 4
    {
      axes.removeLast()
      sourceBase += start + rowStart
      inner = .transpose(
        rows: rowCount, columns: columns, sourceRowStep: step,
        destinationRowStep: rows.destination)
    }
    self.sourceBase = sourceBase
    self.destinationBase = destinationBase
    self.inner = inner
    outer = axes.map(\.walk)
    outerDestinationStrides = axes.map(\.destination)
    items = outer.reduce(1) { $0 * $1.count }
  }

  /// A dense copy of `source` (shape `shape`) read through `perm` (output axis `a` is source axis
  /// `perm[a]`) at the source positions `indices[a]` of each output axis.
  init(elementSize: Int, shape: [Int], perm: [Int]? = nil, indices: [[Int]]) {
    let strides = DataMovement.strides(shape).map { $0 * elementSize }
    let perm = perm ?? Array(shape.indices)
    self.init(
      elementSize: elementSize,
      walks: zip(perm, indices).map { AxisWalk.positions($1, stride: strides[$0]) })
  }

  /// Rows of a tiled transpose handled per work item, so that one large transpose still splits
  /// over threads.
  private static let tile = 16

  /// Copies from `source` to `destination`, splitting the outer positions over `pool`.
  func run(from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer, pool: ThreadPool)
  {
    guard !isEmpty else { return }
    let source = SharedAddress(source + sourceBase)
    let destination = SharedAddress(destination + destinationBase)
    let blocks: Int
    let bytesPerUnit: Int
    switch inner {
    case .run(let bytes):
      (blocks, bytesPerUnit) = (1, bytes)
    case .transpose(let rows, let columns, _, _):
      blocks = (rows + Self.tile - 1) / Self.tile
      bytesPerUnit = Self.tile * columns * elementSize
    case .elements(let walk, _):
      (blocks, bytesPerUnit) = (1, walk.count * elementSize * 4)
    }
    let outer = outer
    let strides = outerDestinationStrides
    let units = items * blocks
    pool.parallelFor(units, minimumChunk: max(1, 65536 / max(bytesPerUnit, 1))) { range in
      var position = [Int](repeating: 0, count: outer.count)
      var remainder = range.lowerBound / blocks
      for axis in outer.indices.reversed() {
        position[axis] = remainder % outer[axis].count
        remainder /= outer[axis].count
      }
      var block = range.lowerBound % blocks
      for _ in range {
        var from = 0
        var to = 0
        for axis in outer.indices {
          from += outer[axis].offset(position[axis])
          to += position[axis] * strides[axis]
        }
        copyInner(from: source.pointer + from, to: destination.pointer + to, block: block)
        block += 1
        guard block == blocks else { continue }
        block = 0
        var axis = outer.count - 1
        while axis >= 0 {
          position[axis] += 1
          if position[axis] < outer[axis].count { break }
          position[axis] = 0
          axis -= 1
        }
      }
    }
  }

  @inline(__always)
  private func copyInner(
    from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer, block: Int
  ) {
    switch inner {
    case .run(let bytes):
      destination.copyMemory(from: source, byteCount: bytes)
    case .transpose(let rows, let columns, let sourceRowStep, let destinationRowStep):
      let first = block * Self.tile
      let box = Transposed(
        rows: first..<min(first + Self.tile, rows), columns: columns,
        sourceRowStep: sourceRowStep, destinationRowStep: destinationRowStep)
      switch elementSize {
      case 1: box.copy(UInt8.self, source, destination)
      case 2: box.copy(UInt16.self, source, destination)
      case 4: box.copy(UInt32.self, source, destination)
      default: box.copy(UInt64.self, source, destination)
      }
    case .elements(let walk, let destinationStep):
      switch elementSize {
      case 1: Self.elements(UInt8.self, source, destination, walk, destinationStep)
      case 2: Self.elements(UInt16.self, source, destination, walk, destinationStep)
      case 4: Self.elements(UInt32.self, source, destination, walk, destinationStep)
      default: Self.elements(UInt64.self, source, destination, walk, destinationStep)
      }
    }
  }

  /// A band of rows of a transposed box: `destination[r, c] = source[c, r]`, where
  /// `sourceRowStep` is the source's byte step between the box's columns.
  private struct Transposed {
    var rows: Range<Int>
    var columns: Int
    var sourceRowStep: Int
    var destinationRowStep: Int

    /// Copies in tiles of `tile` columns so that the source lines read stay in cache.
    func copy<T>(_: T.Type, _ source: UnsafeRawPointer, _ destination: UnsafeMutableRawPointer) {
      for columnBlock in stride(from: 0, to: columns, by: IndexedCopy.tile) {
        let columnEnd = min(columnBlock + IndexedCopy.tile, columns)
        for row in rows {
          let to = (destination + row * destinationRowStep).assumingMemoryBound(to: T.self)
          let from = source + row * MemoryLayout<T>.stride
          for column in columnBlock..<columnEnd {
            to[column] = from.load(fromByteOffset: column * sourceRowStep, as: T.self)
          }
        }
      }
    }
  }

  private static func elements<T>(
    _: T.Type, _ source: UnsafeRawPointer, _ destination: UnsafeMutableRawPointer,
    _ walk: AxisWalk, _ destinationStep: Int
  ) {
    switch walk {
    case .stride(let start, let step, let count):
      for index in 0..<count {
        destination.storeBytes(
          of: source.load(fromByteOffset: start + index * step, as: T.self),
          toByteOffset: index * destinationStep, as: T.self)
      }
    case .list(let offsets):
      offsets.withUnsafeBufferPointer { offsets in
        for index in offsets.indices {
          destination.storeBytes(
            of: source.load(fromByteOffset: offsets[index], as: T.self),
            toByteOffset: index * destinationStep, as: T.self)
        }
      }
    }
  }
}
