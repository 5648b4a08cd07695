import GraftIR

/// Layers that only act in training: dropout and noise layers, and `ActivityRegularization`
/// (a loss term). At inference each is an Identity node, kept so that the layer's name stays a
/// cut point; the input's layout is kept.
enum InferenceIdentityLayers: KerasLayerConverter {
  static let classNames = [
    "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise",
    "GaussianDropout", "AlphaDropout", "ActivityRegularization",
  ]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    let input = try call.singleInput()
    return [KerasTensor(value: try call.node(Identity(), [input.value]), layout: input.layout)]
  }
}
