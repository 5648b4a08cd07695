/// Offsets of the runtime values in one arena, reusing memory between values whose lifetimes do
/// not overlap.
///
/// A value lives from the step that writes it to the last step that reads it (graph inputs from
/// before the first step, graph outputs to the end). Values are placed largest first at the lowest
/// 64-byte aligned offset that no live-overlapping value occupies (greedy best-fit by offset).
struct MemoryPlan {
  struct Lifetime {
    var bytes: Int
    var first: Int
    var last: Int
  }

  /// Byte offset of each value, in the order given.
  let offsets: [Int]
  /// Bytes the arena needs.
  let arenaBytes: Int

  static let alignment = 64

  init(_ values: [Lifetime]) {
    func aligned(_ n: Int) -> Int { (n + Self.alignment - 1) / Self.alignment * Self.alignment }
    var offsets = [Int](repeating: 0, count: values.count)
    var placed: [(offset: Int, end: Int, first: Int, last: Int)] = []
    var arena = 0
    let order = values.indices.sorted { (values[$0].bytes, $1) > (values[$1].bytes, $0) }
    for index in order {
      let value = values[index]
      let size = aligned(max(value.bytes, 1))
      let conflicts =
        placed
        .filter { $0.first <= value.last && value.first <= $0.last }
        .sorted { $0.offset < $1.offset }
      var offset = 0
      for other in conflicts where other.offset < offset + size {
        if other.end > offset { offset = other.end }
      }
      offsets[index] = offset
      placed.append((offset, offset + size, value.first, value.last))
      arena = max(arena, offset + size)
    }
    self.offsets = offsets
    arenaBytes = arena
  }
}
