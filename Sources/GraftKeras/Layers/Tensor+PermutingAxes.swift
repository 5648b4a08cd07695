import GraftIR

extension Tensor {
  /// The tensor with its axes permuted as ONNX Transpose does: output axis `a` is axis
  /// `perm[a]`. Used on weights, so that layouts are folded into constants, not run as nodes.
  func permutingAxes(_ perm: [Int]) -> Tensor {
    let values = doubles()
    var strides = Array(repeating: 1, count: shape.count)
    for axis in shape.indices.reversed().dropFirst() {
      strides[axis] = strides[axis + 1] * shape[axis + 1]
    }
    let outShape = perm.map { shape[$0] }
    let outStrides = perm.map { strides[$0] }
    var permuted: [Double] = []
    permuted.reserveCapacity(count)
    var index = Array(repeating: 0, count: shape.count)
    var offset = 0
    for _ in 0..<count {
      permuted.append(values[offset])
      var axis = outShape.count - 1
      while axis >= 0 {
        index[axis] += 1
        offset += outStrides[axis]
        if index[axis] < outShape[axis] { break }
        offset -= outStrides[axis] * outShape[axis]
        index[axis] = 0
        axis -= 1
      }
    }
    return Tensor.converting(permuted, to: dtype, shape: outShape)
  }
}
