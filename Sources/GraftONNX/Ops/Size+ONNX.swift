import GraftIR

extension Size: AttributeFreeONNXImportable {}
