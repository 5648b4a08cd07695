extension Graph {
  /// Folds a per-output-channel `Mul` or `Add` by a constant that directly follows a `Conv` with
  /// constant weights into that Conv's weights and bias, removing the elementwise node.
  ///
  /// Exporters leave such pairs behind (tf2onnx writes the BatchNormalization after a depthwise
  /// convolution as `Mul` then `Add`). With `Y = conv(X, W) + B` and a scale `s[m]` or shift
  /// `a[m]` per output channel `m`: `Y·s = conv(X, W·s) + B·s` (each filter `W[m]` scaled) and
  /// `Y + a = conv(X, W) + (B + a)`. A constant is per-channel when it is a scalar or its only
  /// non-unit dim lines up with Y's channel axis (axis 1). Y must be read by that one node only.
  /// An inference `BatchNormalization` with constant parameters right after such a Conv is first
  /// written as that `Mul` and `Add` (see `splitBatchNormalizations(after:)`).
  ///
  /// - Returns: the number of nodes folded.
  @discardableResult
  public mutating func foldAffineIntoConvolutions() throws -> Int {
    try foldAffine(into: [.convolution])
  }

  /// Folds a per-output-feature `Mul` or `Add` by a constant, or an inference
  /// `BatchNormalization`, that directly follows a `Gemm` or a `MatMul` with a constant matrix
  /// B into that product, removing the elementwise node.
  ///
  /// The feature axis is the last one: axis 1 of Gemm's `Y [M, N]`, the last of MatMul's
  /// `Y [… , M, N]`. With `Y = alpha·A'·B' + beta·C` and a scale `s[n]` or shift `a[n]`:
  /// `Y·s = alpha·A'·(B'·diag s) + (beta·C)·s` (columns of `B'` scaled: rows of B under
  /// `transB`) and `Y + a = alpha·A'·B' + (beta·C + a)`, C broadcast to `[N]` or `[M, N]`,
  /// created when absent, and `beta` then 1. A MatMul `A·B` absorbs a scale into B's columns;
  /// it absorbs a shift only when A is a matrix, by becoming `Gemm(A, B, a)`; over more axes the
  /// `Add` of the folded shift stays after it. A BatchNormalization normalises axis 1, so it
  /// folds after a Gemm, and after a MatMul only when Y is a matrix.
  ///
  /// - Returns: the number of nodes folded.
  @discardableResult
  public mutating func foldAffineIntoMatrixProducts() throws -> Int {
    try foldAffine(into: [.gemm, .matMul])
  }

  /// The shared loop: splits foldable BatchNormalizations, then folds each Mul or Add by a
  /// per-channel constant into the producer of its other operand while one fits.
  private mutating func foldAffine(into kinds: Set<AffineProducer>) throws -> Int {
    try inferTypes()
    splitBatchNormalizations(after: kinds)
    var folded = 0
    var changed = true
    while changed {
      changed = false
      let uses = useCounts
      let graphOutputs = Set(outputs.map(\.name))
      let producer = producers
      for (index, node) in nodes.enumerated() where node.op is Mul || node.op is Add {
        guard node.inputs.count == 2 else { continue }
        for side in 0..<2 {
          let output = node.inputs[side]
          guard let producerIndex = producer[output], uses[output] == 1,
            !graphOutputs.contains(output),
            let layout = affineLayout(of: nodes[producerIndex], kinds: kinds),
            let factor = constants[node.inputs[1 - side]],
            let values = layout.perChannel(factor),
            var rewritten = absorbing(
              values, into: nodes[producerIndex], layout: layout, isScale: node.op is Mul)
          else { continue }
          rewritten.outputs[0] = node.outputs[0]
          nodes[producerIndex] = rewritten
          nodes.remove(at: index)
          folded += 1
          changed = true
          break
        }
        if changed { break }
      }
    }
    if folded > 0 {
      removeDeadNodes()
      try inferTypes()
    }
    return folded
  }

  /// Rewrites each `BatchNormalization` whose input is the output of a producer of `kinds` with
  /// channel axis 1, read by it alone, and whose scale, bias, mean and variance are constant
  /// floats of one type, as `Y·f + (B − mean·f)` with `f = scale / √(var + ε)`: a per-channel
  /// `Mul` then `Add` (constants shaped `[C, 1, …]` to line up with axis 1), which the producer
  /// then absorbs.
  mutating func splitBatchNormalizations(after kinds: Set<AffineProducer>) {
    let uses = useCounts
    let graphOutputs = Set(outputs.map(\.name))
    let producer = producers
    var rewritten: [Node] = []
    for node in nodes {
      guard let norm = node.op as? BatchNormalization, node.inputs.count == 5,
        node.outputs.count == 1 || node.outputs.dropFirst().allSatisfy(\.isEmpty),
        let producerIndex = producer[node.inputs[0]],
        let layout = affineLayout(of: nodes[producerIndex], kinds: kinds), layout.axis == 1,
        uses[node.inputs[0]] == 1, !graphOutputs.contains(node.inputs[0])
      else {
        rewritten.append(node)
        continue
      }
      let parameters = node.inputs[1...].compactMap { constants[$0] }
      guard parameters.count == 4, let dtype = parameters.first?.dtype, dtype.isFloatingPoint,
        parameters.allSatisfy({ $0.dtype == dtype && $0.shape == [layout.channels] })
      else {
        rewritten.append(node)
        continue
      }
      let (scale, bias, mean, variance) = (
        parameters[0].doubles(), parameters[1].doubles(), parameters[2].doubles(),
        parameters[3].doubles()
      )
      let factor = zip(scale, variance).map { $0 / (($1 + Double(norm.epsilon)).squareRoot()) }
      let shift = (0..<factor.count).map { bias[$0] - mean[$0] * factor[$0] }
      let shape = [factor.count] + Array(repeating: 1, count: layout.rank - 2)
      let factorName = uniqueConstantName("\(node.name)/scale_folded")
      constants[factorName] = Tensor.converting(factor, to: dtype, shape: shape)
      let shiftName = uniqueConstantName("\(node.name)/shift_folded")
      constants[shiftName] = Tensor.converting(shift, to: dtype, shape: shape)
      let scaled = uniqueConstantName("\(node.name)/scaled")
      types[scaled] = type(of: node.inputs[0])
      rewritten.append(
        Node(
          name: "\(node.name)/scale", op: Mul(), inputs: [node.inputs[0], factorName],
          outputs: [scaled]))
      rewritten.append(
        Node(name: node.name, op: Add(), inputs: [scaled, shiftName], outputs: [node.outputs[0]]))
    }
    nodes = rewritten
  }

  /// Where `node`'s output channels lie, when it is a producer of `kinds` whose weights (and
  /// bias, if any) are constant floats of one type.
  private func affineLayout(of node: Node, kinds: Set<AffineProducer>) -> AffineLayout? {
    guard let kind = AffineProducer(node.op), kinds.contains(kind), node.inputs.count >= 2,
      let weight = constants[node.inputs[1]], weight.dtype.isFloatingPoint
    else { return nil }
    if node.inputs.count > 2, !node.inputs[2].isEmpty {
      guard let bias = constants[node.inputs[2]], bias.dtype == weight.dtype else { return nil }
    }
    switch kind {
    case .convolution:
      guard weight.shape.count >= 3 else { return nil }
      return AffineLayout(
        kind: kind, dtype: weight.dtype, axis: 1, rank: weight.shape.count,
        channels: weight.shape[0])
    case .gemm:
      guard weight.shape.count == 2, let gemm = node.op as? Gemm,
        (constants[node.inputs.count > 2 ? node.inputs[2] : ""]?.shape.count ?? 0) <= 2
      else { return nil }
      return AffineLayout(
        kind: kind, dtype: weight.dtype, axis: 1, rank: 2,
        channels: weight.shape[gemm.transB ? 0 : 1])
    case .matMul:
      guard weight.shape.count == 2, let rank = type(of: node.outputs[0])?.rank, rank >= 1 else {
        return nil
      }
      return AffineLayout(
        kind: kind, dtype: weight.dtype, axis: rank - 1, rank: rank, channels: weight.shape[1])
    }
  }

  /// `producer` with the per-channel scale or shift `values` folded into new constants, or nil
  /// when it cannot absorb it (a shift after a MatMul whose A is not a matrix).
  private mutating func absorbing(
    _ values: [Double], into producer: Node, layout: AffineLayout, isScale: Bool
  ) -> Node? {
    let weight = constants[producer.inputs[1]]!
    let dtype = weight.dtype
    var rewritten = producer
    func add(_ values: [Double], shape: [Int], _ suffix: String) -> String {
      let name = uniqueConstantName("\(producer.name)/\(suffix)")
      constants[name] = Tensor.converting(values, to: dtype, shape: shape)
      return name
    }
    let existingBias = producer.inputs.count > 2 ? constants[producer.inputs[2]] : nil
    switch (layout.kind, isScale) {
    case (_, true):
      let transB = (producer.op as? Gemm)?.transB ?? false
      let weightAxis = layout.kind == .convolution || transB ? 0 : 1
      rewritten.inputs[1] = add(
        weight.doubles().scaled(alongAxis: weightAxis, of: weight.shape, by: values),
        shape: weight.shape, "W_folded")
      guard let bias = existingBias else { break }
      if var gemm = producer.op as? Gemm {
        let (terms, shape) = gemm.scaledBias(bias, channels: layout.channels)
        rewritten.inputs[2] = add(
          terms.scaled(alongAxis: shape.count - 1, of: shape, by: values), shape: shape,
          "C_folded")
        gemm.beta = 1
        rewritten.op = gemm
      } else {
        rewritten.inputs[2] = add(zip(bias.doubles(), values).map(*), shape: bias.shape, "B_folded")
      }
    case (.convolution, false):
      let bias = existingBias?.doubles() ?? Array(repeating: 0, count: layout.channels)
      while rewritten.inputs.count < 3 { rewritten.inputs.append("") }
      rewritten.inputs[2] = add(zip(bias, values).map(+), shape: [layout.channels], "B_folded")
    case (.gemm, false):
      var gemm = producer.op as! Gemm
      let (terms, shape) =
        existingBias.map { gemm.scaledBias($0, channels: layout.channels) }
        ?? (Array(repeating: 0, count: layout.channels), [layout.channels])
      let shifted = terms.indices.map { terms[$0] + values[$0 % layout.channels] }
      while rewritten.inputs.count < 3 { rewritten.inputs.append("") }
      rewritten.inputs[2] = add(shifted, shape: shape, "C_folded")
      gemm.beta = 1
      rewritten.op = gemm
    case (.matMul, false):
      guard layout.rank == 2, type(of: producer.inputs[0])?.rank == 2 else { return nil }
      rewritten.op = Gemm()
      rewritten.inputs.append(add(values, shape: [layout.channels], "C_folded"))
    }
    return rewritten
  }
}

/// An op computing a linear map per output channel, which can absorb a per-channel scale or
/// shift that follows it.
enum AffineProducer: Hashable {
  case convolution, gemm, matMul

  init?(_ op: any Operator) {
    switch op {
    case is Conv: self = .convolution
    case is Gemm: self = .gemm
    case is MatMul: self = .matMul
    default: return nil
    }
  }
}

/// The channel axis of an affine producer's output: `axis` of `rank`, `channels` long.
private struct AffineLayout {
  let kind: AffineProducer
  /// The element type of the weights, which a factor must have.
  let dtype: DType
  let axis: Int
  let rank: Int
  let channels: Int

  /// The factor's value for each channel, when it is a scalar or its dims, right-aligned against
  /// the output's, are 1 everywhere but on the channel axis.
  func perChannel(_ factor: Tensor) -> [Double]? {
    guard factor.dtype == dtype, factor.shape.count <= rank else { return nil }
    let aligned = [Int](repeating: 1, count: rank - factor.shape.count) + factor.shape
    guard aligned.enumerated().allSatisfy({ $0.offset == axis || $0.element == 1 }),
      aligned[axis] == 1 || aligned[axis] == channels
    else { return nil }
    let values = factor.doubles()
    return (0..<channels).map { values.count == 1 ? values[0] : values[$0] }
  }
}

extension Gemm {
  /// `beta·C` as a row `[N]` or a matrix `[M, N]` (C broadcast along the columns), the form a
  /// per-column scale or shift can be applied to.
  fileprivate func scaledBias(_ bias: Tensor, channels: Int) -> ([Double], [Int]) {
    let values = bias.doubles().map { Double(beta) * $0 }
    let rows = bias.shape.count == 2 ? bias.shape[0] : 1
    let columnsGiven = bias.shape.last ?? 1
    let expanded = (0..<rows * channels).map { index in
      values[(index / channels) * columnsGiven + (columnsGiven == 1 ? 0 : index % channels)]
    }
    return (expanded, bias.shape.count == 2 ? [rows, channels] : [channels])
  }
}

extension Array where Element == Double {
  /// The elements of a row-major tensor of `shape`, each multiplied by `factors[i]` where `i` is
  /// its index along `axis`.
  fileprivate func scaled(alongAxis axis: Int, of shape: [Int], by factors: [Double]) -> [Double] {
    let inner = shape[(axis + 1)...].reduce(1, *)
    return indices.map { self[$0] * factors[($0 / inner) % shape[axis]] }
  }
}
