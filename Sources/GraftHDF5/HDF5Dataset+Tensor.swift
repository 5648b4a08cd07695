import GraftIR

/// Datasets as GraftIR tensors.
extension HDF5Dataset {
  /// The whole dataset as a tensor of `elementType.tensorDType`.
  ///
  /// - Throws: `typeMismatch` for strings, uint64 and unsupported types.
  public func readTensor() throws -> Tensor { try readTensor(selecting: nil) }

  /// Rows `rows` as a tensor of shape `[rows.count] + shape.dropFirst()`.
  public func readTensor(rows: Range<Int>) throws -> Tensor { try readTensor(selecting: rows) }

  /// Overwrites the whole dataset with `tensor`, whose shape must be the dataset's.
  public func write(_ tensor: Tensor) throws {
    try transfer(rows: nil) { transfer, shape in
      try checkShape(tensor, matches: shape, what: "of shape \(shape)")
      try tensor.buffer.withUnsafeBytes {
        try transfer.writeRaw($0, as: HDF5ElementType(tensor.dtype))
      }
    }
  }

  /// Appends the rows of `tensor`, whose dims after the first must be the dataset's.
  public func appendRows(_ tensor: Tensor) throws {
    try locked {
      let shape = try shape
      try checkShape(
        tensor, matches: shape, ignoringRows: true, what: "with rows of shape \(shape.dropFirst())")
      try appendRows(elementCount: tensor.count) { transfer in
        try tensor.buffer.withUnsafeBytes {
          try transfer.writeRaw($0, as: HDF5ElementType(tensor.dtype))
        }
      }
    }
  }

  private func readTensor(selecting rows: Range<Int>?) throws -> Tensor {
    try transfer(rows: rows) { transfer, shape in
      guard let dtype = elementType.tensorDType else {
        throw site.error(.typeMismatch, "has dtype \(elementType), which no tensor dtype holds")
      }
      let byteCount = try HDF5Dataspace.byteCount(transfer.count, dtype.byteSize, site)
      let buffer = try TensorBuffer(byteCount: byteCount) { bytes in
        try transfer.readRaw(into: bytes, as: HDF5ElementType(dtype))
        if dtype == .bool {
          for index in bytes.indices { bytes[index] = bytes[index] == 0 ? 0 : 1 }
        }
      }
      return Tensor(dtype: dtype, shape: shape, buffer: buffer)
    }
  }

  private func checkShape(
    _ tensor: Tensor, matches shape: [Int], ignoringRows: Bool = false, what: String
  ) throws {
    let skip = ignoringRows ? 1 : 0
    guard tensor.shape.count == shape.count, tensor.shape.dropFirst(skip) == shape.dropFirst(skip)
    else {
      throw site.error(.shapeMismatch, "\(what) cannot take a tensor of shape \(tensor.shape)")
    }
  }
}

extension HDF5Group {
  /// Creates a dataset holding `tensor`, with its dtype and shape.
  public func createDataset(
    _ path: String, tensor: Tensor, layout: HDF5DatasetLayout = .contiguous
  ) throws -> HDF5Dataset {
    try createDataset(
      path, elementType: HDF5ElementType(tensor.dtype), shape: tensor.shape, layout: layout
    ) { try $0.write(tensor) }
  }
}

extension HDF5ElementType {
  /// The element type that stores a tensor dtype exactly.
  public init(_ dtype: DType) {
    switch dtype {
    case .float32: self = .float32
    case .float16: self = .float16
    case .float64: self = .float64
    case .int8: self = .int8
    case .uint8: self = .uint8
    case .int32: self = .int32
    case .int64: self = .int64
    case .bool: self = .bool
    }
  }

  /// The tensor dtype that holds this type's values exactly: the same type, or int32 for
  /// int16/uint16 and int64 for uint32; `nil` for uint64, strings and unsupported types.
  public var tensorDType: DType? {
    switch self {
    case .float16: .float16
    case .float32: .float32
    case .float64: .float64
    case .int8: .int8
    case .uint8: .uint8
    case .int16, .uint16, .int32: .int32
    case .uint32, .int64: .int64
    case .bool: .bool
    case .uint64, .fixedString, .variableString, .unsupported: nil
    }
  }
}
