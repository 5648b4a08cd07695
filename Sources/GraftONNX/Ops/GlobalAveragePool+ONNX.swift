import GraftIR

extension GlobalAveragePool: AttributeFreeONNXImportable, ONNXExportable {}
