import GraftIR

extension GlobalMaxPool: AttributeFreeONNXImportable, ONNXExportable {}
