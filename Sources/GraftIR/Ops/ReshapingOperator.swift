/// An operator whose output holds its input's elements in the same row-major order under a new
/// shape (Reshape, Flatten, Squeeze, Unsqueeze): only its shape inference differs.
///
/// Folding reshapes a constant input to the inferred shape, and a shape value of rank ≤ 1 keeps
/// its contents, so `Unsqueeze(Gather(Shape(x)))` still reads `[N]`.
public protocol ReshapingOperator: ConstantFoldable, ShapeValuePropagating, DataMovementOperator {}

extension ReshapingOperator {
  public func fold(_ context: InferenceContext) throws -> [Tensor]? {
    guard let data = context.constant(0),
      let shape = try inferTypes(context)[0].shape?.fixedSizes,
      TensorIndexing.canFold(shape)
    else { return nil }
    return [data.reshaped(shape)]
  }

  public func shapeValues(_ context: InferenceContext) -> [[Dim]?] {
    guard let values = context.shapeValue(0),
      let rank = (try? inferTypes(context))?.first?.rank, rank <= 1
    else { return [nil] }
    return [values]
  }
}
