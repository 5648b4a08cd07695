@_exported import GraftData
@_exported import GraftHeads
@_exported import GraftIR
@_exported import GraftRuntime

@_exported import struct GraftHDF5.HDF5Error
@_exported import enum GraftKeras.KerasError
@_exported import enum GraftKeras.KerasImporter
@_exported import enum GraftONNX.ONNXExportError
@_exported import struct GraftONNX.ONNXExportOptions
@_exported import enum GraftONNX.ONNXExporter
