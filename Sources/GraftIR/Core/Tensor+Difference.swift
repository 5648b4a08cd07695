extension Tensor {
  /// `max |self − reference|` over the elements and the parity scale `max(1, max |reference|)`,
  /// or nil when the shapes differ.
  ///
  /// Graft's parity tolerance against a reference implementation is
  /// `maxAbs ≤ 1e-4 · scale`; integer and boolean values must match exactly (`maxAbs == 0`).
  public func difference(from reference: Tensor) -> (maxAbs: Double, scale: Double)? {
    guard shape == reference.shape else { return nil }
    let expected = reference.doubles()
    let scale = max(1, expected.map(abs).max() ?? 0)
    let worst = zip(doubles(), expected).map { abs($0 - $1) }.max() ?? 0
    return (worst, scale)
  }

  /// Whether this tensor matches `reference` within Graft's parity tolerance (see
  /// `difference(from:)`), with the same element type.
  public func matches(_ reference: Tensor, tolerance: Double = 1e-4) -> Bool {
    guard dtype == reference.dtype, let (worst, scale) = difference(from: reference) else {
      return false
    }
    return reference.dtype.isFloatingPoint ? worst <= tolerance * scale : worst == 0
  }
}
