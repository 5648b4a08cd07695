import GraftIR

extension Size: AttributeFreeONNXImportable, ONNXExportable {}
