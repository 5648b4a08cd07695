import Foundation

/// A first-in first-out queue of at most `capacity` elements between one producer thread and
/// one consumer: `put` waits while it is full, `take` while it is empty. Closing it (from either
/// side) wakes both; `put` then refuses and `take` drains what is left, then gives nil.
final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
  private let capacity: Int
  private var elements: [Element] = []
  private var closed = false
  private let condition = NSCondition()

  init(capacity: Int) {
    precondition(capacity >= 1)
    self.capacity = capacity
  }

  /// Adds `element`, waiting for room; false when the queue was closed instead.
  func put(_ element: Element) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while elements.count >= capacity && !closed { condition.wait() }
    guard !closed else { return false }
    elements.append(element)
    condition.broadcast()
    return true
  }

  /// The oldest element, waiting for one; nil once the queue is closed and empty.
  func take() -> Element? {
    condition.lock()
    defer { condition.unlock() }
    while elements.isEmpty && !closed { condition.wait() }
    guard !elements.isEmpty else { return nil }
    condition.broadcast()
    return elements.removeFirst()
  }

  /// Ends the queue: no more `put`s.
  func close() {
    condition.lock()
    closed = true
    condition.broadcast()
    condition.unlock()
  }
}
