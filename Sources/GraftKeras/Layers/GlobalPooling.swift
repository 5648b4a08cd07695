import GraftIR

/// `GlobalAveragePooling1D/2D/3D`, `GlobalMaxPooling1D/2D/3D`: the mean or max of each channel
/// over every spatial cell.
///
/// With `keepdims` the result keeps its spatial axes as 1s and the input's layout; without, it
/// is Keras's `[N, C]`, in Keras's layout whatever the data format.
enum GlobalPoolingLayer: KerasLayerConverter {
  static let classNames = [
    "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
    "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D",
  ]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    let input = try call.featureMapInput(spatialRank: try call.spatialRank())
    let op: any Operator =
      call.layer.className.hasPrefix("GlobalMax") ? GlobalMaxPool() : GlobalAveragePool()
    let pooled = try call.node(op, [input.value])
    if try call.bool("keepdims", default: false) {
      return [KerasTensor(value: pooled, layout: input.layout)]
    }
    return [KerasTensor(value: try call.node(Flatten(axis: 1), [pooled]))]
  }
}
