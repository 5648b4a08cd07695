import GraftIR

extension RangeOp: AttributeFreeONNXImportable {}
