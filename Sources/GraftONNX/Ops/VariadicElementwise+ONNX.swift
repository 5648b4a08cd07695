import GraftIR

// Before opset 8 these ops required equal shapes; broadcasting is a superset of that meaning.
extension Sum: AttributeFreeONNXImportable {}
extension Mean: AttributeFreeONNXImportable {}
extension Min: AttributeFreeONNXImportable {}
extension Max: AttributeFreeONNXImportable {}
