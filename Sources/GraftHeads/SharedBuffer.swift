/// A heap buffer written by several threads at disjoint indices, read after they join.
///
/// The row and column blocks of a fit's products never overlap, which is what makes sharing it
/// across `ThreadPool` chunks safe; the owner frees it in `deinit`.
final class SharedBuffer<Element>: @unchecked Sendable {
  let base: UnsafeMutablePointer<Element>
  let count: Int

  init(repeating value: Element, count: Int) {
    base = .allocate(capacity: max(count, 1))
    base.initialize(repeating: value, count: count)
    self.count = count
  }

  convenience init(_ values: [Element]) where Element: Numeric {
    self.init(repeating: 0, count: values.count)
    values.withUnsafeBufferPointer { base.update(from: $0.baseAddress!, count: values.count) }
  }

  deinit { base.deallocate() }

  subscript(index: Int) -> Element {
    get { base[index] }
    set { base[index] = newValue }
  }

  var array: [Element] { Array(UnsafeBufferPointer(start: base, count: count)) }
}

/// Fixed partitions of rows and columns into blocks.
///
/// Blocks depend only on the sizes, never on the thread count, and every reduction over rows
/// either stays inside one BLAS call (products split by output columns) or sums per-block
/// partial results in block order: that makes fits bit-identical for any `threads`.
enum Blocks {
  static let rows = 256
  static let columns = 64

  static func ranges(_ count: Int, size: Int) -> [Range<Int>] {
    stride(from: 0, to: count, by: size).map { $0..<min(count, $0 + size) }
  }
}
