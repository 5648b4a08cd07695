/// The maximum over each window of each channel, optionally with the argmax positions.
///
/// Layout: X `[N, C, D1, …, Dk]` → Y `[N, C, O1, …, Ok]`, `Y[n, c, o] = max_κ X[n, c,
/// o·stride + κ·dilation − padBegin]` over cells inside the input (padding never wins). The
/// optional second output `Indices` (int64, Y's shape) holds each maximum's flat index into X,
/// counted over `[N, C, D1, …]` in row-major order (`storageOrder` 0) or column-major order
/// over the spatial axes (`storageOrder` 1). `ceilMode` rounds the output size up.
public struct MaxPool: PoolingOperator, Hashable {
  public static let opType = "MaxPool"

  public var autoPad: AutoPad
  public var ceilMode: Bool
  public var dilations: [Int]?
  public var kernelShape: [Int]
  public var pads: [Int]?
  public var storageOrder: Int
  public var strides: [Int]?

  public init(
    kernelShape: [Int], autoPad: AutoPad = .notSet, ceilMode: Bool = false,
    dilations: [Int]? = nil, pads: [Int]? = nil, storageOrder: Int = 0, strides: [Int]? = nil
  ) {
    self.autoPad = autoPad
    self.ceilMode = ceilMode
    self.dilations = dilations
    self.kernelShape = kernelShape
    self.pads = pads
    self.storageOrder = storageOrder
    self.strides = strides
  }

  public func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    let dtype = try context.commonElementType([0], names: ["X"], floatingPointOnly: false)
    try require(
      dtype.map { $0.isFloatingPoint || $0 == .int8 || $0 == .uint8 } ?? true,
      "input X should be a floating-point, int8 or uint8 tensor, got \(dtype?.rawValue ?? "")")
    try require(
      storageOrder == 0 || storageOrder == 1,
      "storage_order should be 0 (row major) or 1 (column major), got \(storageOrder)")
    try require(context.outputCount <= 2, "MaxPool has at most 2 outputs (Y, Indices)")
    let shape = try pooledShape(context)
    return Array([ValueType(dtype, shape), ValueType(.int64, shape)].prefix(context.outputCount))
  }
}
