/// An immutable, 64-byte aligned block of bytes that holds a tensor's elements.
///
/// Shared between `Tensor` copies (a tensor is a value type; its bytes never change after the
/// buffer is filled), and aligned so that runtime kernels can read it with vector loads.
public final class TensorBuffer: @unchecked Sendable {
  /// Number of bytes in the buffer.
  public let byteCount: Int
  private let storage: UnsafeMutableRawPointer

  /// Allocates `byteCount` zeroed bytes and lets `fill` write them once.
  public init(byteCount: Int, fill: (UnsafeMutableRawBufferPointer) throws -> Void = { _ in })
    rethrows
  {
    precondition(byteCount >= 0, "negative tensor byte count")
    self.byteCount = byteCount
    storage = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: 64)
    storage.initializeMemory(as: UInt8.self, repeating: 0, count: max(byteCount, 1))
    try fill(UnsafeMutableRawBufferPointer(start: storage, count: byteCount))
  }

  deinit { storage.deallocate() }

  /// The first byte, valid while the buffer lives (runtimes that keep the buffer alive read
  /// weights through it without copying). The bytes must not be written.
  public var baseAddress: UnsafeRawPointer { UnsafeRawPointer(storage) }

  /// Read access to the bytes.
  public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try body(UnsafeRawBufferPointer(start: storage, count: byteCount))
  }
}
