import GraftIR

/// `MaxPooling1D/2D/3D`, `AveragePooling1D/2D/3D`: the max or mean of each `pool_size` window,
/// `strides` defaulting to `pool_size`.
///
/// Under `same` padding TensorFlow's average leaves the padding out of the count (ONNX
/// `count_include_pad` 0) and its max never picks the padding, as ONNX MaxPool.
enum PoolingLayer: KerasLayerConverter {
  static let classNames = [
    "MaxPooling1D", "MaxPooling2D", "MaxPooling3D",
    "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
  ]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    let input = try call.featureMapInput(spatialRank: try call.spatialRank())
    let window = try SlidingWindow(call, input: input, pooling: true)
    let op: any Operator =
      call.layer.className.hasPrefix("Max")
      ? MaxPool(
        kernelShape: window.kernel, autoPad: window.autoPad, pads: window.pads,
        strides: window.strides)
      : AveragePool(
        kernelShape: window.kernel, autoPad: window.autoPad, countIncludePad: false,
        pads: window.pads, strides: window.strides)
    return [KerasTensor(value: try call.node(op, [input.value]), layout: input.layout)]
  }
}
