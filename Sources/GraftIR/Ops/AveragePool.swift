/// The mean over each window of each channel.
///
/// Layout: X `[N, C, D1, …, Dk]` → Y `[N, C, O1, …, Ok]`, `Y[n, c, o]` the mean of
/// `X[n, c, o·stride + κ·dilation − padBegin]` over the window cells κ. Cells in the padding count
/// as zeros in the divisor with `countIncludePad`, and are left out of it otherwise; cells past the
/// padding that only `ceilMode` reaches are always left out.
public struct AveragePool: PoolingOperator, Hashable {
  public static let opType = "AveragePool"

  public var autoPad: AutoPad
  public var ceilMode: Bool
  public var countIncludePad: Bool
  public var dilations: [Int]?
  public var kernelShape: [Int]
  public var pads: [Int]?
  public var strides: [Int]?

  public init(
    kernelShape: [Int], autoPad: AutoPad = .notSet, ceilMode: Bool = false,
    countIncludePad: Bool = false, dilations: [Int]? = nil, pads: [Int]? = nil,
    strides: [Int]? = nil
  ) {
    self.autoPad = autoPad
    self.ceilMode = ceilMode
    self.countIncludePad = countIncludePad
    self.dilations = dilations
    self.kernelShape = kernelShape
    self.pads = pads
    self.strides = strides
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let dtype = try context.commonElementType([0], names: ["X"])
    return [ValueType(dtype, try pooledShape(context))]
  }
}
