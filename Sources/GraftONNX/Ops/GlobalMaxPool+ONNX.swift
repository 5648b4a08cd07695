import GraftIR

extension GlobalMaxPool: AttributeFreeONNXImportable {}
