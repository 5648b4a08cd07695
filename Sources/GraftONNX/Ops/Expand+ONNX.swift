import GraftIR

extension Expand: AttributeFreeONNXImportable {}
