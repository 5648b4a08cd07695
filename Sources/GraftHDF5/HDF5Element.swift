/// A Swift type whose values GraftHDF5 reads and writes as numeric (or bool) elements.
///
/// Arrays of these types hold the elements in row-major (C) order, as HDF5 stores them.
public protocol HDF5Element: Sendable {
  /// The HDF5 element type holding exactly this Swift type.
  static var hdf5Type: HDF5ElementType { get }
}

extension Float16: HDF5Element { public static var hdf5Type: HDF5ElementType { .float16 } }
extension Float: HDF5Element { public static var hdf5Type: HDF5ElementType { .float32 } }
extension Double: HDF5Element { public static var hdf5Type: HDF5ElementType { .float64 } }
extension Int8: HDF5Element { public static var hdf5Type: HDF5ElementType { .int8 } }
extension Int16: HDF5Element { public static var hdf5Type: HDF5ElementType { .int16 } }
extension Int32: HDF5Element { public static var hdf5Type: HDF5ElementType { .int32 } }
extension Int64: HDF5Element { public static var hdf5Type: HDF5ElementType { .int64 } }
extension UInt8: HDF5Element { public static var hdf5Type: HDF5ElementType { .uint8 } }
extension UInt16: HDF5Element { public static var hdf5Type: HDF5ElementType { .uint16 } }
extension UInt32: HDF5Element { public static var hdf5Type: HDF5ElementType { .uint32 } }
extension UInt64: HDF5Element { public static var hdf5Type: HDF5ElementType { .uint64 } }
extension Bool: HDF5Element { public static var hdf5Type: HDF5ElementType { .bool } }
