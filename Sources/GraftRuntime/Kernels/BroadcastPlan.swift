/// How several inputs broadcast (NumPy rules) to one output, reduced to rows of a contiguous
/// innermost loop.
///
/// Layout: the output is `rowCount` rows of `rowLength` elements, row-major. Adjacent axes along
/// which every input is either contiguous or broadcast alike are merged at plan time, so `[N, C,
/// H, W] + [C, 1, 1]` becomes rows of `H·W` with a scalar per row for the second input. In row
/// `r`, input `i`'s element `k` sits at `rowStart(r)[i] + k · innerStrides[i]`, where the inner
/// stride is 1 (contiguous) or 0 (broadcast).
struct BroadcastPlan: Sendable {
  /// Merged output dims (outer dims of the rows, then the row length), at least one.
  let dims: [Int]
  /// Per input, the element stride along each merged dim (0 where it broadcasts).
  let strides: [[Int]]
  let count: Int

  var rowLength: Int { dims[dims.count - 1] }
  var rowCount: Int { rowLength == 0 ? 0 : count / rowLength }
  var innerStrides: [Int] { strides.map { $0[$0.count - 1] } }
  /// Whether every input is the full output shape, so one flat loop covers all.
  var isFlat: Bool { dims.count == 1 && strides.allSatisfy { $0[0] == 1 } }

  /// Plans `inputShapes` broadcast to `outputShape`, which must be their broadcast shape.
  init(_ inputShapes: [[Int]], to outputShape: [Int]) {
    let rank = outputShape.count
    // Strides in the output's rank, 0 along broadcast axes.
    let full: [[Int]] = inputShapes.map { shape in
      var strides = [Int](repeating: 0, count: rank)
      var stride = 1
      for axis in shape.indices.reversed() {
        if shape[axis] != 1 { strides[axis + rank - shape.count] = stride }
        stride *= shape[axis]
      }
      return strides
    }
    var dims: [Int] = []
    var strides: [[Int]] = inputShapes.map { _ in [] }
    for axis in 0..<rank where outputShape[axis] != 1 {
      let size = outputShape[axis]
      // Merge with the previous dim when each input continues it contiguously or broadcasts in
      // both.
      if let last = dims.last,
        full.indices.allSatisfy({ strides[$0].last! == full[$0][axis] * size })
      {
        dims[dims.count - 1] = last * size
        for input in full.indices { strides[input][strides[input].count - 1] = full[input][axis] }
      } else {
        dims.append(size)
        for input in full.indices { strides[input].append(full[input][axis]) }
      }
    }
    if dims.isEmpty {
      dims = [1]
      strides = inputShapes.map { _ in [0] }
    }
    self.dims = dims
    self.strides = strides
    count = outputShape.reduce(1, *)
  }

  /// Calls `body(row, starts)` for each row in `rows`, in order, with the offset of the row's
  /// first element in each input.
  @inline(__always)
  func forEachRow(in rows: Range<Int>, _ body: (Int, UnsafeMutableBufferPointer<Int>) -> Void) {
    let outer = dims.count - 1
    withUnsafeTemporaryAllocation(of: Int.self, capacity: max(outer, 1)) { index in
      withUnsafeTemporaryAllocation(of: Int.self, capacity: strides.count) { starts in
        // Coordinates of the first row, from its flat number.
        var remainder = rows.lowerBound
        for axis in (0..<outer).reversed() {
          index[axis] = remainder % dims[axis]
          remainder /= dims[axis]
        }
        for input in strides.indices {
          var offset = 0
          for axis in 0..<outer { offset += index[axis] * strides[input][axis] }
          starts[input] = offset
        }
        for row in rows {
          body(row, starts)
          // Odometer step to the next row.
          var axis = outer - 1
          while axis >= 0 {
            index[axis] += 1
            for input in strides.indices { starts[input] += strides[input][axis] }
            if index[axis] < dims[axis] { break }
            for input in strides.indices { starts[input] -= strides[input][axis] * dims[axis] }
            index[axis] = 0
            axis -= 1
          }
        }
      }
    }
  }

  /// Calls `body(outputStart, starts, length)` over the output in contiguous segments, in
  /// parallel for large outputs: whole rows, or pieces of the row when there is only one.
  ///
  /// `starts[i]` is the offset of the segment's first element in input `i`; element `k` of the
  /// segment reads input `i` at `starts[i] + k · innerStrides[i]`.
  @inline(__always)
  func parallelSegments(
    pool: ThreadPool,
    _ body: @Sendable (Int, UnsafeMutableBufferPointer<Int>, Int) -> Void
  ) {
    if dims.count == 1 {
      let inner = innerStrides
      pool.parallelFor(count, minimumChunk: elementwiseChunk) { range in
        withUnsafeTemporaryAllocation(of: Int.self, capacity: inner.count) { starts in
          for input in inner.indices { starts[input] = range.lowerBound * inner[input] }
          body(range.lowerBound, starts, range.count)
        }
      }
      return
    }
    let length = rowLength
    pool.parallelFor(rowCount, minimumChunk: max(1, elementwiseChunk / max(length, 1))) { rows in
      forEachRow(in: rows) { row, starts in body(row * length, starts, length) }
    }
  }
}
