import GraftIR

extension Tile: AttributeFreeONNXImportable, ONNXExportable {}
