import Dispatch

/// Splits loops over Graft's own kernels' work across a fixed number of threads.
///
/// The partition depends only on the item count and `threads`, and every item is computed by
/// exactly one thread with the same arithmetic, so results are bit-identical for any thread count.
public struct ThreadPool: Sendable {
  public let threads: Int

  public init(threads: Int) {
    precondition(threads >= 1, "a thread pool needs at least one thread")
    self.threads = threads
  }

  /// Runs `body` over contiguous chunks of `0..<count`, in parallel when there are several
  /// threads and at least `minimumChunk` items per chunk.
  public func parallelFor(
    _ count: Int, minimumChunk: Int = 1, _ body: @Sendable (Range<Int>) -> Void
  ) {
    guard count > 0 else { return }
    let chunks = max(1, min(threads, count / max(minimumChunk, 1)))
    if chunks == 1 {
      body(0..<count)
      return
    }
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
      body((count * chunk / chunks)..<(count * (chunk + 1) / chunks))
    }
  }
}
