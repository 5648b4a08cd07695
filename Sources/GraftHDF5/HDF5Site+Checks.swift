internal import CHDF5

/// Checking libhdf5's return values: every identifier or status is checked right after the call,
/// and a failure becomes an `HDF5Error` carrying libhdf5's own explanation from its error stack.
extension HDF5Site {
  /// Returns `id` if libhdf5 returned a valid identifier, else throws
  /// `'<file>': cannot <action> <subject> (libhdf5: …)`.
  func check(_ id: hid_t, _ action: String) throws -> hid_t {
    guard id >= 0 else { throw failure(action) }
    return id
  }

  /// Throws like `check(_:_:)` when a status (`herr_t`, `htri_t`, `ssize_t`) is negative.
  func check<Status: BinaryInteger>(status: Status, _ action: String) throws {
    guard status >= 0 else { throw failure(action) }
  }

  /// Returns whether a tri-state answer (`htri_t`) is true, throwing when it is an error.
  func check(truth: htri_t, _ action: String) throws -> Bool {
    guard truth >= 0 else { throw failure(action) }
    return truth > 0
  }

  /// The error for a failed `action` on this object, with libhdf5's explanation.
  func failure(_ action: String) -> HDF5Error {
    HDF5Error(
      .libraryFailure, file: file, object: object,
      message: "\(quotedFile): cannot \(action) \(subject)", detail: HDF5ErrorStack.take())
  }
}

/// libhdf5's error stack, read after a failed call.
enum HDF5ErrorStack {
  /// The most specific message on the calling thread's error stack (where the failure was
  /// detected, e.g. `file signature not found`), then clears the stack. Call with the HDF5 lock
  /// held, before any other libhdf5 call, since each API call resets the stack.
  static func take() -> String? {
    var messages: [String] = []
    withUnsafeMutablePointer(to: &messages) { messagesPointer in
      _ = H5Ewalk2(
        graft_h5e_default(), H5E_WALK_UPWARD,
        { _, entry, client in
          if let description = entry?.pointee.desc, let client {
            client.assumingMemoryBound(to: [String].self).pointee
              .append(String(cString: description))
          }
          return 0
        }, messagesPointer)
    }
    H5Eclear2(graft_h5e_default())
    return messages.first { !$0.isEmpty }
  }
}
