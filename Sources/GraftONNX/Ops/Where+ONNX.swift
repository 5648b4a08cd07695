import GraftIR

extension Where: AttributeFreeONNXImportable {}
