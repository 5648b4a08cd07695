import Foundation

/// Runs `body` on each batch of `source`'s inputs from input `start` on, in order, while a
/// producer thread prepares (decodes, preprocesses) up to `queueDepth` batches ahead, so that
/// preparing overlaps `body` and memory stays bounded by the batch size and queue depth.
///
/// An error of `source` (e.g. an image under `--strict`) is thrown when its batch's turn comes;
/// an error of `body` stops the producer.
func forEachPreparedBatch(
  of source: any ExtractionSource, from start: Int, batchSize: Int, queueDepth: Int,
  _ body: (PreparedBatch) throws -> Void
) throws {
  let batches = BoundedQueue<Result<PreparedBatch, any Error>>(capacity: queueDepth)
  let producer = Thread {
    for lower in stride(from: start, to: source.count, by: batchSize) {
      let batch = Result { try source.prepare(lower..<min(lower + batchSize, source.count)) }
      guard batches.put(batch), case .success = batch else { break }
    }
    batches.close()
  }
  producer.stackSize = 8 << 20
  producer.start()
  defer { batches.close() }
  while let prepared = batches.take() { try body(try prepared.get()) }
}
