import GraftIR

extension GlobalAveragePool: AttributeFreeONNXImportable {}
