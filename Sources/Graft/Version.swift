import GraftHDF5
import GraftONNX
import GraftRuntime

/// Graft's version, written into feature caches and exported models.
public let graftVersion = "0.1.0"

/// The C libraries Graft is linked with, as `graft --version` prints them.
public var linkedLibraries: String {
  "HDF5 \(HDF5Library.version), protobuf-c \(ONNXImporter.protobufVersion), "
    + BLAS.configuration
}
