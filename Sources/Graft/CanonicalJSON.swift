import Foundation

/// `value` as JSON with sorted keys, so that equal values compare equal as text (provenance,
/// metadata).
func canonicalJSON(_ value: some Encodable) throws -> String {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys]
  return String(decoding: try encoder.encode(value), as: UTF8.self)
}
