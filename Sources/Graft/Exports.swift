@_exported import GraftData
@_exported import GraftIR
@_exported import GraftRuntime
