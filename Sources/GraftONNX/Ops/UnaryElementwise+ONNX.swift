import GraftIR

// Opsets 1–5 added `consumed_inputs`, which has no meaning for inference; the importer reads opset
// 7 and newer, where these ops have no attributes.
extension Relu: AttributeFreeONNXImportable {}
extension Sigmoid: AttributeFreeONNXImportable {}
extension Tanh: AttributeFreeONNXImportable {}
extension Erf: AttributeFreeONNXImportable {}
extension Sqrt: AttributeFreeONNXImportable {}
extension Exp: AttributeFreeONNXImportable {}
extension Log: AttributeFreeONNXImportable {}
extension Abs: AttributeFreeONNXImportable {}
extension Neg: AttributeFreeONNXImportable {}
extension Reciprocal: AttributeFreeONNXImportable {}
extension Floor: AttributeFreeONNXImportable {}
extension Ceil: AttributeFreeONNXImportable {}
extension Not: AttributeFreeONNXImportable {}
extension HardSwish: AttributeFreeONNXImportable {}
