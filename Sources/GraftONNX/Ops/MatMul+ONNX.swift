import GraftIR

extension MatMul: AttributeFreeONNXImportable, ONNXExportable {}
