import GraftIR

extension Tile: AttributeFreeONNXImportable {}
