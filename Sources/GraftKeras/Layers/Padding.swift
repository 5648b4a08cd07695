import GraftIR

/// `ZeroPadding1D/2D/3D` and `Cropping1D/2D/3D`: zeros added to, or cells removed from, the
/// begin and end of each spatial axis — one Pad, whose negative pads crop.
///
/// `padding`/`cropping` is an int for every side, one int per axis for both its sides, or a
/// `(begin, end)` pair per axis.
enum PaddingLayer: KerasLayerConverter {
  static let classNames = [
    "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Cropping1D", "Cropping2D", "Cropping3D",
  ]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    let input = try call.featureMapInput(spatialRank: try call.spatialRank())
    let rank = input.spatial.count
    let cropping = call.layer.className.hasPrefix("Cropping")
    let sign = cropping ? -1 : 1
    let amounts = try call.sideAmounts(cropping ? "cropping" : "padding", rank: rank)
    for (axis, amount) in amounts.enumerated() where cropping {
      if let size = input.spatial[axis], amount.begin + amount.end >= size {
        throw call.error(
          "cropping \(amount.begin) + \(amount.end) leaves nothing of spatial axis \(axis + 1) "
            + "(size \(size))")
      }
    }
    let pads = [0, 0] + amounts.map { sign * $0.begin } + [0, 0] + amounts.map { sign * $0.end }
    let padsValue = call.constant(
      Tensor(pads.map(Int64.init), shape: [pads.count]), role: cropping ? "cropping" : "pads")
    let output = try call.node(Pad(), [input.value, padsValue])
    return [KerasTensor(value: output, layout: input.layout)]
  }
}
