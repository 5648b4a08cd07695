/// A JSON document kept as Keras wrote it, for editing a `model_config` without changing what
/// is not edited: members stay in their order and numbers keep their text (`1.0` stays a float
/// for Python, `NaN` and `Infinity` as `json.dumps` writes them), which `JSONValue` does not keep.
///
/// `description` writes it as Python's `json.dumps` does by default: `", "` and `": "` between
/// items, non-ASCII characters as `\uXXXX`.
enum KerasJSON: Equatable, CustomStringConvertible {
  /// A number, `true`, `false` or `null`, as written.
  case literal(String)
  case string(String)
  case array([KerasJSON])
  /// Members in document order.
  case object([(key: String, value: KerasJSON)])

  static let null = KerasJSON.literal("null")

  /// Parses `text`.
  ///
  /// - Throws: `KerasError.invalidModel` naming `source` and the offset of the first fault.
  init(parsing text: String, source: String) throws {
    var parser = Parser(bytes: Array(text.utf8), source: source)
    self = try parser.value()
    parser.skipSpace()
    guard parser.index == parser.bytes.count else { throw parser.fault("trailing text") }
  }

  subscript(key: String) -> KerasJSON? {
    get {
      guard case .object(let members) = self else { return nil }
      return members.first { $0.key == key }?.value
    }
    set {
      guard case .object(var members) = self else { return }
      if let index = members.firstIndex(where: { $0.key == key }) {
        if let newValue { members[index].value = newValue } else { members.remove(at: index) }
      } else if let newValue {
        members.append((key, newValue))
      }
      self = .object(members)
    }
  }

  var string: String? {
    if case .string(let value) = self { return value }
    return nil
  }
  var array: [KerasJSON]? {
    if case .array(let values) = self { return values }
    return nil
  }
  var int: Int? {
    if case .literal(let text) = self { return Int(text) }
    return nil
  }

  static func == (lhs: KerasJSON, rhs: KerasJSON) -> Bool { lhs.description == rhs.description }

  var description: String {
    switch self {
    case .literal(let text): text
    case .string(let text): Self.quoted(text)
    case .array(let values): "[" + values.map(\.description).joined(separator: ", ") + "]"
    case .object(let members):
      "{" + members.map { "\(Self.quoted($0.key)): \($0.value)" }.joined(separator: ", ") + "}"
    }
  }

  /// `text` as a JSON string literal with Python's escapes (`ensure_ascii`).
  private static func quoted(_ text: String) -> String {
    var result = "\""
    for unit in text.utf16 {
      switch unit {
      case 0x22: result += "\\\""
      case 0x5C: result += "\\\\"
      case 0x0A: result += "\\n"
      case 0x0D: result += "\\r"
      case 0x09: result += "\\t"
      case 0x08: result += "\\b"
      case 0x0C: result += "\\f"
      case 0x20..<0x7F: result.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
      default:
        let hex = String(unit, radix: 16)
        result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      }
    }
    return result + "\""
  }

  /// A recursive-descent reader over UTF-8 bytes.
  private struct Parser {
    let bytes: [UInt8]
    let source: String
    var index = 0
    var depth = 0

    init(bytes: [UInt8], source: String) {
      self.bytes = bytes
      self.source = source
    }

    func fault(_ what: String) -> KerasError {
      KerasError.invalidModel("\(source) is not valid JSON: \(what) at byte \(index)")
    }

    mutating func skipSpace() {
      while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    mutating func value() throws -> KerasJSON {
      skipSpace()
      guard index < bytes.count else { throw fault("unexpected end") }
      depth += 1
      defer { depth -= 1 }
      guard depth < 512 else { throw fault("nesting too deep") }
      switch bytes[index] {
      case UInt8(ascii: "{"): return try object()
      case UInt8(ascii: "["): return try array()
      case UInt8(ascii: "\""): return .string(try string())
      default: return try literal()
      }
    }

    private mutating func object() throws -> KerasJSON {
      index += 1
      var members: [(key: String, value: KerasJSON)] = []
      skipSpace()
      if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
        index += 1
        return .object(members)
      }
      while true {
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
          throw fault("expected a member name")
        }
        let key = try string()
        try expect(":")
        members.append((key, try value()))
        if try endOfList("}") { return .object(members) }
      }
    }

    private mutating func array() throws -> KerasJSON {
      index += 1
      var values: [KerasJSON] = []
      skipSpace()
      if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
        index += 1
        return .array(values)
      }
      while true {
        values.append(try value())
        if try endOfList("]") { return .array(values) }
      }
    }

    /// Consumes `,` (false) or `close` (true).
    private mutating func endOfList(_ close: Character) throws -> Bool {
      skipSpace()
      guard index < bytes.count else { throw fault("unexpected end") }
      index += 1
      if bytes[index - 1] == UInt8(ascii: ",") { return false }
      if bytes[index - 1] == close.asciiValue! { return true }
      index -= 1
      throw fault("expected ',' or '\(close)'")
    }

    private mutating func expect(_ character: Character) throws {
      skipSpace()
      guard index < bytes.count, bytes[index] == character.asciiValue! else {
        throw fault("expected '\(character)'")
      }
      index += 1
    }

    private mutating func literal() throws -> KerasJSON {
      let start = index
      let allowed = Set("+-.0123456789eEINaiftynulrs".utf8)
      while index < bytes.count, allowed.contains(bytes[index]) { index += 1 }
      let text = String(decoding: bytes[start..<index], as: UTF8.self)
      let words: Set = ["true", "false", "null", "NaN", "Infinity", "-Infinity"]
      guard words.contains(text) || Double(text) != nil else { throw fault("unexpected value") }
      return .literal(text)
    }

    private mutating func string() throws -> String {
      index += 1
      var units: [UInt16] = []
      var start = index
      func flush() { units += String(decoding: bytes[start..<index], as: UTF8.self).utf16 }
      while index < bytes.count {
        switch bytes[index] {
        case UInt8(ascii: "\""):
          flush()
          index += 1
          return String(decoding: units, as: UTF16.self)
        case UInt8(ascii: "\\"):
          flush()
          guard index + 1 < bytes.count else { throw fault("unterminated string") }
          let escaped = bytes[index + 1]
          index += 2
          switch escaped {
          case UInt8(ascii: "n"): units.append(0x0A)
          case UInt8(ascii: "r"): units.append(0x0D)
          case UInt8(ascii: "t"): units.append(0x09)
          case UInt8(ascii: "b"): units.append(0x08)
          case UInt8(ascii: "f"): units.append(0x0C)
          case UInt8(ascii: "u"):
            guard index + 4 <= bytes.count,
              let unit = UInt16(
                String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
            else { throw fault("bad \\u escape") }
            units.append(unit)
            index += 4
          default: units.append(UInt16(escaped))
          }
          start = index
        default:
          index += 1
        }
      }
      throw fault("unterminated string")
    }
  }
}
