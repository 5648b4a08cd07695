import Foundation

/// A parsed JSON document (Keras model configs), with typed accessors that return nil on a
/// mismatch so converters can report what they expected.
public enum JSONValue: Sendable, Hashable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  /// Parses `data`; Python's `json.dumps` writes `NaN` and `Infinity`, so JSON5 is accepted.
  public init(parsing data: Data) throws {
    let decoder = JSONDecoder()
    decoder.allowsJSON5 = true
    self = try decoder.decode(JSONValue.self, from: data)
  }

  public subscript(key: String) -> JSONValue? {
    if case .object(let members) = self { return members[key] }
    return nil
  }

  public var isNull: Bool { self == .null }
  public var string: String? {
    if case .string(let value) = self { return value }
    return nil
  }
  public var double: Double? {
    if case .number(let value) = self { return value }
    return nil
  }
  /// The number when it is a whole number that fits in `Int`.
  public var int: Int? {
    guard case .number(let value) = self, value.rounded() == value, abs(value) < 0x1p62 else {
      return nil
    }
    return Int(value)
  }
  public var bool: Bool? {
    if case .bool(let value) = self { return value }
    return nil
  }
  public var array: [JSONValue]? {
    if case .array(let values) = self { return values }
    return nil
  }
  public var object: [String: JSONValue]? {
    if case .object(let members) = self { return members }
    return nil
  }
}

extension JSONValue: Decodable {
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([JSONValue].self) {
      self = .array(value)
    } else {
      self = .object(try container.decode([String: JSONValue].self))
    }
  }
}
