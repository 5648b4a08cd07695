/// The type of one element of a dataset or attribute, as GraftHDF5 sees it.
///
/// Numbers and booleans are stored in the machine's (little-endian) layout; `float16` is the IEEE
/// half type h5py writes (libhdf5 1.10 has no predefined one) and `bool` is h5py's enum of int8
/// with members `FALSE = 0` and `TRUE = 1`. Strings are fixed-length (NUL- or space-padded bytes,
/// as numpy's `S` dtype and Keras's `layer_names` use) or variable-length (h5py's `str`).
/// Anything else (compound, reference, opaque, non-IEEE floats, other enums) is `unsupported`,
/// named by its HDF5 class so that errors can say what was found.
public enum HDF5ElementType: Hashable, Sendable, CustomStringConvertible {
  case float16, float32, float64
  case int8, int16, int32, int64
  case uint8, uint16, uint32, uint64
  case bool
  /// A string of exactly `length` bytes, padded.
  case fixedString(length: Int)
  /// A NUL-terminated string of any length.
  case variableString
  /// A type GraftHDF5 cannot read, e.g. `compound`.
  case unsupported(String)

  public var description: String {
    switch self {
    case .fixedString(let length): "fixed-length string (\(length) bytes)"
    case .variableString: "variable-length string"
    case .unsupported(let name): "unsupported type (\(name))"
    default: number.map { "\($0.kind)\($0.bits)" } ?? "bool"
    }
  }

  /// Whether elements are strings of either kind.
  public var isString: Bool {
    switch self {
    case .fixedString, .variableString: true
    default: false
    }
  }

  /// Whether every value of this type converts exactly to `target` when read or written: the same
  /// type, a wider float, a wider integer of compatible sign, or an integer narrow enough for the
  /// float's significand (int16 → float32, int32 → float64). Bool converts only to bool.
  public func converts(to target: HDF5ElementType) -> Bool {
    if self == target { return true }
    guard let source = number, let target = target.number else { return false }
    switch (source.kind, target.kind) {
    case (.float, .float): return source.bits < target.bits
    case (.int, .int), (.uint, .uint), (.uint, .int): return source.bits < target.bits
    case (.int, .float), (.uint, .float):
      return source.magnitudeBits <= target.significandBits
    default: return false
    }
  }

  /// Bytes per element in memory: the Swift type's size; `MemoryLayout<UnsafePointer>` for a
  /// variable-length string; `nil` for unsupported types.
  var memorySize: Int? {
    switch self {
    case .bool: 1
    case .fixedString(let length): length
    case .variableString: MemoryLayout<UnsafePointer<CChar>>.size
    case .unsupported: nil
    default: number.map { $0.bits / 8 }
    }
  }

  /// Kind and width of a numeric type; `nil` for bool, strings and unsupported types.
  private var number: Number? {
    switch self {
    case .float16: Number(.float, 16)
    case .float32: Number(.float, 32)
    case .float64: Number(.float, 64)
    case .int8: Number(.int, 8)
    case .int16: Number(.int, 16)
    case .int32: Number(.int, 32)
    case .int64: Number(.int, 64)
    case .uint8: Number(.uint, 8)
    case .uint16: Number(.uint, 16)
    case .uint32: Number(.uint, 32)
    case .uint64: Number(.uint, 64)
    default: nil
    }
  }
}

/// A numeric element type's kind and width in bits.
private struct Number {
  enum Kind: String { case float, int, uint }

  let kind: Kind
  let bits: Int

  init(_ kind: Kind, _ bits: Int) {
    self.kind = kind
    self.bits = bits
  }

  /// Bits of magnitude an integer holds (the sign bit excluded).
  var magnitudeBits: Int { kind == .int ? bits - 1 : bits }

  /// Bits of precision of an IEEE float: 11 for half, 24 for single, 53 for double.
  var significandBits: Int { [16: 11, 32: 24, 64: 53][bits] ?? 0 }
}
