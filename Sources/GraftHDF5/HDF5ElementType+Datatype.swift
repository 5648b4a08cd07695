internal import CHDF5

/// Translation between `HDF5ElementType` and libhdf5 datatype identifiers.
extension HDF5ElementType {
  /// Classifies a stored datatype (from `H5Dget_type` or `H5Aget_type`).
  init(datatype type: hid_t, _ site: HDF5Site) throws {
    let typeClass = H5Tget_class(type)
    try site.check(status: typeClass.rawValue, "read the type of")
    let size = H5Tget_size(type)
    guard size > 0 else { throw site.failure("read the type size of") }
    switch typeClass {
    case H5T_INTEGER:
      let sign = H5Tget_sign(type)
      try site.check(status: sign.rawValue, "read the sign of")
      self =
        Self.integer(bytes: size, signed: sign == H5T_SGN_2) ?? .unsupported("\(size)-byte integer")
    case H5T_FLOAT:
      self = try Self.ieeeFloat(type, bytes: size, site) ?? .unsupported("\(size)-byte float")
    case H5T_STRING:
      let variable = try site.check(truth: H5Tis_variable_str(type), "read the string type of")
      self = variable ? .variableString : .fixedString(length: size)
    case H5T_ENUM:
      self = try Self.isBoolEnum(type, site) ? .bool : .unsupported("enum")
    default:
      let names = [
        H5T_TIME: "time", H5T_BITFIELD: "bitfield", H5T_OPAQUE: "opaque",
        H5T_COMPOUND: "compound", H5T_REFERENCE: "reference", H5T_VLEN: "variable-length array",
        H5T_ARRAY: "array",
      ]
      self = .unsupported(names[typeClass] ?? "HDF5 class \(typeClass.rawValue)")
    }
  }

  private static func integer(bytes: Int, signed: Bool) -> HDF5ElementType? {
    switch (bytes, signed) {
    case (1, true): .int8
    case (2, true): .int16
    case (4, true): .int32
    case (8, true): .int64
    case (1, false): .uint8
    case (2, false): .uint16
    case (4, false): .uint32
    case (8, false): .uint64
    default: nil
    }
  }

  /// float16/32/64 when the type has IEEE's bit fields for its size (any byte order).
  private static func ieeeFloat(_ type: hid_t, bytes: Int, _ site: HDF5Site) throws
    -> HDF5ElementType?
  {
    var (sign, exponent, exponentSize, mantissa, mantissaSize) = (0, 0, 0, 0, 0)
    try site.check(
      status: H5Tget_fields(type, &sign, &exponent, &exponentSize, &mantissa, &mantissaSize),
      "read the float layout of")
    let fields = [sign, exponent, exponentSize, mantissa, mantissaSize]
    switch (bytes, fields) {
    case (2, [15, 10, 5, 0, 10]): return .float16
    case (4, [31, 23, 8, 0, 23]): return .float32
    case (8, [63, 52, 11, 0, 52]): return .float64
    default: return nil
    }
  }

  /// Whether an enum is h5py's bool: a 1-byte integer base with exactly `FALSE = 0, TRUE = 1`.
  private static func isBoolEnum(_ type: hid_t, _ site: HDF5Site) throws -> Bool {
    guard H5Tget_size(type) == 1, H5Tget_nmembers(type) == 2 else { return false }
    var members: [String: Int8] = [:]
    for index in 0..<2 as Range<UInt32> {
      guard let name = H5Tget_member_name(type, index) else {
        throw site.failure("read the enum members of")
      }
      defer { H5free_memory(name) }
      var value: Int8 = 0
      try site.check(status: H5Tget_member_value(type, index, &value), "read the enum values of")
      members[String(cString: name)] = value
    }
    return members == ["FALSE": 0, "TRUE": 1]
  }

  /// A new datatype for this element type, used both as the memory type of reads and writes and
  /// as the stored type of new datasets and attributes. The caller closes it.
  ///
  /// Fixed-length strings are NUL-padded like numpy's `S` dtype; variable-length strings are
  /// UTF-8. `float16` is built as h5py builds it: IEEE single with half's bit fields.
  func makeDatatype(_ site: HDF5Site) throws -> hid_t {
    let action = "create a datatype for"
    switch self {
    case .unsupported:
      throw site.error(.typeMismatch, "has \(self), which GraftHDF5 cannot read or write")
    case .bool:
      let type = try site.check(H5Tenum_create(graft_h5t_native_int8()), action)
      for (name, value) in [("FALSE", Int8(0)), ("TRUE", Int8(1))] {
        var value = value
        guard H5Tenum_insert(type, name, &value) >= 0 else { return try close(type, action, site) }
      }
      return type
    case .float16:
      let type = try site.check(H5Tcopy(graft_h5t_ieee_f32le()), action)
      guard H5Tset_fields(type, 15, 10, 5, 0, 10) >= 0, H5Tset_size(type, 2) >= 0,
        H5Tset_ebias(type, 15) >= 0
      else { return try close(type, action, site) }
      return type
    case .fixedString(let length):
      return try string(size: length, cset: H5T_CSET_ASCII, action, site)
    case .variableString:
      return try string(size: graft_h5t_variable(), cset: H5T_CSET_UTF8, action, site)
    case .float32, .float64, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64:
      return try site.check(H5Tcopy(nativeNumber), action)
    }
  }

  private func string(size: Int, cset: H5T_cset_t, _ action: String, _ site: HDF5Site) throws
    -> hid_t
  {
    let type = try site.check(H5Tcopy(graft_h5t_c_s1()), action)
    guard H5Tset_size(type, size) >= 0, H5Tset_cset(type, cset) >= 0,
      H5Tset_strpad(type, size == graft_h5t_variable() ? H5T_STR_NULLTERM : H5T_STR_NULLPAD) >= 0
    else { return try close(type, action, site) }
    return type
  }

  /// Closes a half-built datatype and throws the failure that stopped it.
  private func close(_ type: hid_t, _ action: String, _ site: HDF5Site) throws -> hid_t {
    let error = site.failure(action)
    H5Tclose(type)
    throw error
  }

  /// libhdf5's predefined native type for a numeric element type.
  private var nativeNumber: hid_t {
    switch self {
    case .int8: graft_h5t_native_int8()
    case .int16: graft_h5t_native_int16()
    case .int32: graft_h5t_native_int32()
    case .int64: graft_h5t_native_int64()
    case .uint8: graft_h5t_native_uint8()
    case .uint16: graft_h5t_native_uint16()
    case .uint32: graft_h5t_native_uint32()
    case .uint64: graft_h5t_native_uint64()
    case .float32: graft_h5t_native_float()
    case .float64: graft_h5t_native_double()
    case .float16, .bool, .fixedString, .variableString, .unsupported:
      preconditionFailure("\(self) has no predefined native type")
    }
  }
}
