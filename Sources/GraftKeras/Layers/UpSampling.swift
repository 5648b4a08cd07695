import GraftIR

/// `UpSampling1D/2D/3D`: each spatial axis enlarged by its integer `size` factor.
///
/// `nearest` repeats every cell `size` times (ONNX Resize nearest, asymmetric, floor: exact
/// for integer factors). UpSampling2D's `bilinear` is TensorFlow's `tf.image.resize`, which
/// samples at half-pixel centres: ONNX Resize linear with `half_pixel`. Other interpolations
/// (bicubic, area, lanczos, …) are refused.
enum UpSamplingLayer: KerasLayerConverter {
  static let classNames = ["UpSampling1D", "UpSampling2D", "UpSampling3D"]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    let input = try call.featureMapInput(spatialRank: try call.spatialRank())
    let rank = input.spatial.count
    let size = try call.ints("size", rank: rank, default: Array(repeating: 2, count: rank))
    guard size.allSatisfy({ $0 > 0 }) else { throw call.error("size \(size) should be positive") }
    let resize: Resize
    switch try call.string("interpolation", default: "nearest") {
    case "nearest":
      resize = Resize(
        coordinateTransformationMode: .asymmetric, mode: .nearest, nearestMode: .floor)
    case "bilinear":
      resize = Resize(coordinateTransformationMode: .halfPixel, mode: .linear)
    case let other:
      throw call.error("unsupported interpolation '\(other)' (expected nearest or bilinear)")
    }
    let scales = call.constant(
      Tensor([1, 1] + size.map(Float.init), shape: [rank + 2]), role: "scales")
    let output = try call.node(resize, [input.value, "", scales])
    return [KerasTensor(value: output, layout: input.layout)]
  }
}
