import GraftIR

// Before opset 8 these ops required equal shapes; broadcasting is a superset of that meaning.
extension Sum: AttributeFreeONNXImportable, ONNXExportable {}
extension Mean: AttributeFreeONNXImportable, ONNXExportable {}
extension Min: AttributeFreeONNXImportable, ONNXExportable {}
extension Max: AttributeFreeONNXImportable, ONNXExportable {}
