import GraftIR

// PRelu-7 made the slope broadcast unidirectionally; opset 6's stricter slope shapes are a subset.
extension PRelu: AttributeFreeONNXImportable, ONNXExportable {}
