import GraftIR

extension RangeOp: AttributeFreeONNXImportable, ONNXExportable {}
