import Foundation
import GraftHDF5
import Synchronization
import Testing

/// Handles are `Sendable`: threads sharing one file take turns on the process-wide HDF5 lock, and
/// an append (resize, then write) is atomic.
@Test func threadsShareOneDataset() throws {
  let scratch = try ScratchDirectory()
  let path = scratch.path("shared.h5")
  let file = try HDF5File(creating: path)
  let dataset = try file.root.createDataset(
    "rows", elementType: .int64, shape: [0, 2], layout: .extendableRows(perChunk: 16))
  let fixture = try HDF5File(opening: mixedFixture)
  let failures = Mutex(0)
  DispatchQueue.concurrentPerform(iterations: 8) { thread in
    do {
      for batch in 0..<25 {
        let value = Int64(thread * 1000 + batch)
        try dataset.appendRows([value, value])
        _ = try fixture.root.dataset("features").readRows(2..<4, as: Float.self)
      }
    } catch {
      failures.withLock { $0 += 1 }
    }
  }
  #expect(failures.withLock { $0 } == 0)
  let values = try dataset.read(as: Int64.self)
  #expect(values.count == 8 * 25 * 2)
  let pairs = stride(from: 0, to: values.count, by: 2).map { values[$0..<$0 + 2] }
  #expect(pairs.allSatisfy { $0.first == $0.last }, "each append wrote one whole row")
  #expect(Set(values).count == 8 * 25)
}
