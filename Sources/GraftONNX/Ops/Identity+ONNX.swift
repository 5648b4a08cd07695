import GraftIR

extension Identity: AttributeFreeONNXImportable, ONNXExportable {}
