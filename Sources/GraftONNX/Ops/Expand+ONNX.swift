import GraftIR

extension Expand: AttributeFreeONNXImportable, ONNXExportable {}
