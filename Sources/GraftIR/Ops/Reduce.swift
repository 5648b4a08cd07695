/// An operator reducing its input over a set of axes: ReduceMean, ReduceSum, ReduceMax, ReduceMin,
/// ReduceL2.
///
/// Inputs: `data`, then an optional 1-D int64 `axes` (negative counts from the end; ONNX before
/// opset 13 for ReduceSum and 18 for the others held it as an attribute, which the importer turns
/// into this input). Without axes, or with an empty list, every axis is reduced unless
/// `noopWithEmptyAxes`, in which case the output is the input. Reduced axes stay as 1s with
/// `keepdims` and are removed otherwise. FLOPs count one per input element.
public protocol ReductionOperator: Operator {
  var attributes: ReductionAttributes { get set }
  init(_ attributes: ReductionAttributes)
  /// The element types `data` may have (ONNX type constraint `T`).
  static var acceptedTypes: Set<DType> { get }
}

/// The attributes every reduction has, with the defaults of the newest opset.
public struct ReductionAttributes: Sendable, Hashable {
  /// Keep reduced axes as dims of size 1.
  public var keepdims: Bool
  /// With no axes, return the input unchanged instead of reducing over everything.
  public var noopWithEmptyAxes: Bool

  public init(keepdims: Bool = true, noopWithEmptyAxes: Bool = false) {
    self.keepdims = keepdims
    self.noopWithEmptyAxes = noopWithEmptyAxes
  }
}

extension ReductionOperator {
  public init(keepdims: Bool = true, noopWithEmptyAxes: Bool = false) {
    self.init(ReductionAttributes(keepdims: keepdims, noopWithEmptyAxes: noopWithEmptyAxes))
  }

  /// Keep reduced axes as dims of size 1.
  public var keepdims: Bool {
    get { attributes.keepdims }
    set { attributes.keepdims = newValue }
  }

  /// With no axes, return the input unchanged instead of reducing over everything.
  public var noopWithEmptyAxes: Bool {
    get { attributes.noopWithEmptyAxes }
    set { attributes.noopWithEmptyAxes = newValue }
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let data = try context.type(0)
    try ElementTypes.require(data.dtype, in: Self.acceptedTypes, "input data")
    guard let shape = data.shape else { return [ValueType(data.dtype, nil)] }
    guard context.hasInput(1) else { return [ValueType(data.dtype, reduce(shape, axes: []))] }
    let axesType = try context.type(1)
    try ElementTypes.require(axesType.dtype, in: [.int64], "axes")
    if let rank = axesType.rank {
      try require(rank == 1, "axes must be 1-D, got rank \(rank)")
    }
    guard let values = context.shapeValue(1), let axes = values.fixedSizes else {
      // Axes known only at run time: the rank survives with keepdims or a known axis count.
      let count = axesType.shape?.first?.value
      if count == 0 { return [ValueType(data.dtype, reduce(shape, axes: []))] }
      if keepdims { return [ValueType(data.dtype, shape.map { $0 == 1 ? $0 : .unknown })] }
      guard let count else { return [ValueType(data.dtype, nil)] }
      let rank = shape.count - count
      try require(rank >= 0, "\(count) axes for an input of rank \(shape.count)")
      return [ValueType(data.dtype, Array(repeating: .unknown, count: rank))]
    }
    var normalised: Set<Int> = []
    for axis in axes {
      let index = try ShapeRules.axis(axis, rank: shape.count)
      try require(normalised.insert(index).inserted, "axes \(axes) repeat axis \(axis)")
    }
    return [ValueType(data.dtype, reduce(shape, axes: normalised))]
  }

  /// The output shape for known axes; an empty set means "no axes given".
  private func reduce(_ shape: [Dim], axes: Set<Int>) -> [Dim] {
    if axes.isEmpty && noopWithEmptyAxes { return shape }
    let reduced = axes.isEmpty ? Set(shape.indices) : axes
    return shape.indices.compactMap { index in
      reduced.contains(index) ? (keepdims ? .fixed(1) : nil) : shape[index]
    }
  }

  public func flops(_ context: InferenceContext, outputs: [ValueType]) -> Int? {
    ShapeRules.elementCount(context.inputTypes.first??.shape)
  }
}

/// Arithmetic mean over the reduced axes (global average pooling in ViT and MLP heads).
public struct ReduceMean: ReductionOperator, Hashable {
  public static let opType = "ReduceMean"
  public static let acceptedTypes = ElementTypes.floatingPoint.union([.int32, .int64])
  public var attributes: ReductionAttributes
  public init(_ attributes: ReductionAttributes) { self.attributes = attributes }
}

/// Sum over the reduced axes.
public struct ReduceSum: ReductionOperator, Hashable {
  public static let opType = "ReduceSum"
  public static let acceptedTypes = ElementTypes.floatingPoint.union([.int32, .int64])
  public var attributes: ReductionAttributes
  public init(_ attributes: ReductionAttributes) { self.attributes = attributes }
}

/// Maximum over the reduced axes.
public struct ReduceMax: ReductionOperator, Hashable {
  public static let opType = "ReduceMax"
  public static let acceptedTypes = ElementTypes.all
  public var attributes: ReductionAttributes
  public init(_ attributes: ReductionAttributes) { self.attributes = attributes }
}

/// Minimum over the reduced axes.
public struct ReduceMin: ReductionOperator, Hashable {
  public static let opType = "ReduceMin"
  public static let acceptedTypes = ElementTypes.all
  public var attributes: ReductionAttributes
  public init(_ attributes: ReductionAttributes) { self.attributes = attributes }
}

/// Euclidean norm over the reduced axes, `√Σ x²` (L2-normalised embeddings).
public struct ReduceL2: ReductionOperator, Hashable {
  public static let opType = "ReduceL2"
  public static let acceptedTypes = ElementTypes.floatingPoint.union([.int32, .int64])
  public var attributes: ReductionAttributes
  public init(_ attributes: ReductionAttributes) { self.attributes = attributes }
}
