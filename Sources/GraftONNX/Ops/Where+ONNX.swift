import GraftIR

extension Where: AttributeFreeONNXImportable, ONNXExportable {}
