import GraftIR

/// keras.applications' InceptionResNetV2 residual scaling, `inputs[0] + inputs[1]·scale`.
///
/// Not a user's custom layer: its code ships with Keras (`keras.applications.inception_resnet_v2
/// .CustomScaleLayer`, registered by tf-keras as `Custom>CustomScaleLayer`), so its meaning is
/// known and it is imported like a built-in layer. Both inputs are brought to one layout.
enum CustomScaleLayer: KerasLayerConverter {
  static let classNames = ["CustomScaleLayer", "Custom>CustomScaleLayer"]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    guard call.inputs.count == 2 else {
      throw call.error(
        "adds a scaled residual to its input: it needs 2 inputs, got \(call.inputs.count)")
    }
    let scale = try call.double("scale")
    let (values, layout) = try call.commonLayout(call.inputs, keepFlattened: true)
    let factor = call.constant(Tensor(scalar: Float(scale)), role: "scale")
    let scaled = try call.node(Mul(), [values[1], factor], suffix: "scaled")
    return [KerasTensor(value: try call.node(Add(), [values[0], scaled]), layout: layout)]
  }
}
