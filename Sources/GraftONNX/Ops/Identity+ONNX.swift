import GraftIR

extension Identity: AttributeFreeONNXImportable {}
