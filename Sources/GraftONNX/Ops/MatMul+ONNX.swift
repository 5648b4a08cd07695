import GraftIR

extension MatMul: AttributeFreeONNXImportable {}
