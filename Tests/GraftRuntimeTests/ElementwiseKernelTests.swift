import Foundation
import GraftIR
import Testing

@testable import GraftRuntime

// MARK: - Helpers

private func floats(_ values: [Float], _ shape: [Int]) -> Tensor { Tensor(values, shape: shape) }

/// `values` as float32 with a small deterministic pattern, for shapes too big to write out.
private func pattern(_ shape: [Int], scale: Float = 0.37) -> Tensor {
  let count = shape.reduce(1, *)
  return Tensor((0..<count).map { Float(($0 * 7919) % 113 - 56) * scale / 10 }, shape: shape)
}

private func expectClose(
  _ actual: [Double], _ expected: [Double], tolerance: Double = 1e-5,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(actual.count == expected.count, sourceLocation: sourceLocation)
  for (index, (a, e)) in zip(actual, expected).enumerated() {
    let ok = (a.isNaN && e.isNaN) || a == e || abs(a - e) <= tolerance * max(1, abs(e))
    #expect(ok, "element \(index): \(a), expected \(e)", sourceLocation: sourceLocation)
  }
}

/// Flat index of `coordinates` in a row-major `shape`.
private func flat(_ coordinates: [Int], _ shape: [Int]) -> Int {
  zip(coordinates, shape).reduce(0) { $0 * $1.1 + $1.0 }
}

/// Every coordinate tuple of `shape` in row-major order.
private func coordinates(_ shape: [Int]) -> [[Int]] {
  shape.reduce([[]]) { partial, size in partial.flatMap { c in (0..<size).map { c + [$0] } } }
}

// MARK: - Unary

private let unaryInput: [Float] = [-3, -1.5, -0.25, 0, 0.3, 1, 2.5, 7]

/// Each unary op with its formula in double.
private func unaryCase(_ name: String) -> (any Operator, (Double) -> Double) {
  let seluScale = 1.0507009873554805
  let seluAlpha = 1.6732632423543772
  return switch name {
  case "Relu": (Relu(), { max(0, $0) })
  case "Sigmoid": (Sigmoid(), { 1 / (1 + exp(-$0)) })
  case "Tanh": (Tanh(), { tanh($0) })
  case "Erf": (Erf(), { erf($0) })
  case "Exp": (Exp(), { exp($0) })
  case "Abs": (Abs(), { abs($0) })
  case "Neg": (Neg(), { -$0 })
  case "Reciprocal": (Reciprocal(), { 1 / $0 })
  case "Floor": (Floor(), { floor($0) })
  case "Ceil": (Ceil(), { ceil($0) })
  case "HardSwish": (HardSwish(), { $0 * max(0, min(1, $0 / 6 + 0.5)) })
  case "LeakyRelu": (LeakyRelu(alpha: 0.1), { $0 >= 0 ? $0 : 0.1 * $0 })
  case "Elu": (Elu(alpha: 0.5), { $0 >= 0 ? $0 : 0.5 * (exp($0) - 1) })
  case "Selu": (Selu(), { $0 > 0 ? seluScale * $0 : seluScale * seluAlpha * (exp($0) - 1) })
  case "HardSigmoid": (HardSigmoid(), { max(0, min(1, 0.2 * $0 + 0.5)) })
  case "GeluExact": (Gelu(), { $0 / 2 * (1 + erf($0 / 2.0.squareRoot())) })
  default:
    (
      Gelu(approximate: .tanh),
      { x in x / 2 * (1 + tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x))) }
    )
  }
}

@Test(arguments: [
  "Relu", "Sigmoid", "Tanh", "Erf", "Exp", "Abs", "Neg", "Reciprocal", "Floor", "Ceil",
  "HardSwish", "LeakyRelu", "Elu", "Selu", "HardSigmoid", "GeluExact", "GeluTanh",
])
func unaryActivationsApplyTheirFormula(name: String) throws {
  let (op, formula) = unaryCase(name)
  let y = try run(op, [floats(unaryInput, [2, 4])])[0]
  #expect(y.shape == [2, 4])
  expectClose(y.doubles(), unaryInput.map { formula(Double($0)) })
}

@Test func vectorMathMatchesTheCLibraryClosely() {
  let grid = stride(from: -90.0, through: 90.0, by: 0.0137).map { Float($0) }
  let cases: [((Float) -> Float, (Double) -> Double)] = [
    (VectorMath.exp, exp), (VectorMath.tanh, tanh), (VectorMath.erf, erf),
  ]
  for (fast, reference) in cases {
    for x in grid {
      // The correctly rounded float result (±∞ beyond float's range).
      let expected = Float(reference(Double(x)))
      let error = abs(Double(fast(x)) - Double(expected))
      // Relative 1e-6, or absolute at float's smallest normal numbers.
      #expect(fast(x) == expected || error <= 1e-6 * Double(abs(expected)) + 1e-37, "at \(x)")
    }
  }
  #expect(VectorMath.exp(-.infinity) == 0 && VectorMath.exp(100) == .infinity)
  #expect(VectorMath.exp(.nan).isNaN && VectorMath.tanh(.nan).isNaN && VectorMath.erf(.nan).isNaN)
  #expect(VectorMath.tanh(.infinity) == 1 && abs(VectorMath.erf(-.infinity) + 1) < 1e-6)
  #expect(VectorMath.tanh(1e-5) == 1e-5)
}

@Test func sqrtAndLogFollowIEEEOutsideTheirDomain() throws {
  let x = floats([4, 0, -1], [3])
  let roots = try run(Sqrt(), [x])[0].doubles()
  #expect(roots[0] == 2 && roots[1] == 0 && roots[2].isNaN)
  let logs = try run(Log(), [x])[0].doubles()
  #expect(abs(logs[0] - log(4.0)) < 1e-6 && logs[1] == -.infinity && logs[2].isNaN)
}

@Test func unaryOpsRunOnFloat64AndFloat16() throws {
  let doubles = try run(Exp(), [Tensor([0.0, 1.0, -2.0], shape: [3])])[0]
  #expect(doubles.dtype == .float64)
  #expect(doubles.elements(as: Double.self) == [1, exp(1.0), exp(-2.0)])
  let halves = try run(Sigmoid(), [Tensor([Float16(0), 2], shape: [2])])[0]
  #expect(halves.dtype == .float16)
  expectClose(halves.doubles(), [0.5, 1 / (1 + exp(-2.0))], tolerance: 1e-3)
}

@Test func integerReluAbsNegWrapAsC() throws {
  let x = Tensor([Int8.min, -5, 0, 7], shape: [4])
  #expect(try run(Relu(), [x])[0].elements(as: Int8.self) == [0, 0, 0, 7])
  #expect(try run(Abs(), [x])[0].elements(as: Int8.self) == [Int8.min, 5, 0, 7])
  #expect(try run(Neg(), [x])[0].elements(as: Int8.self) == [Int8.min, 5, 0, -7])
  let wide = Tensor([Int64(-9), 4], shape: [2])
  #expect(try run(Abs(), [wide])[0].elements(as: Int64.self) == [9, 4])
}

@Test func notNegatesBools() throws {
  let y = try run(Not(), [Tensor([true, false, false], shape: [3])])[0]
  #expect(y.elements(as: Bool.self) == [false, true, true])
}

// MARK: - Binary

@Test(arguments: [
  ([2, 3, 4], [3, 1]),  // per-row scalar
  ([2, 3, 4], [4]),  // contiguous rows
  ([2, 1, 4], [1, 3, 1]),  // both broadcast
  ([2, 3, 4], [2, 3, 4]),  // equal shapes
  ([2, 3, 4], []),  // scalar
  ([1], [5, 2]),  // scalar on the left
])
func binaryOpsBroadcastLikeNumPy(a aShape: [Int], b bShape: [Int]) throws {
  let a = pattern(aShape)
  let b = pattern(bShape, scale: 0.11)
  let shape = try #require(
    try ShapeRules.broadcast([aShape.map(Dim.fixed), bShape.map(Dim.fixed)]).fixedSizes)
  let (x, y) = (a.doubles(), b.doubles())
  func operand(_ values: [Double], _ operandShape: [Int], _ c: [Int]) -> Double {
    let aligned = Array(c.suffix(operandShape.count))
    return values[flat(zip(aligned, operandShape).map { $1 == 1 ? 0 : $0 }, operandShape)]
  }
  let pairs = coordinates(shape).map { (operand(x, aShape, $0), operand(y, bShape, $0)) }
  let cases: [(any Operator, (Double, Double) -> Double)] = [
    (Add(), +), (Sub(), -), (Mul(), *), (Div(), /),
  ]
  for (op, formula) in cases {
    let result = try run(op, [a, b])[0]
    #expect(result.shape == shape)
    expectClose(result.doubles(), pairs.map { Double(Float(formula($0, $1))) })
  }
  let less = try run(Less(), [a, b])[0]
  #expect(less.dtype == .bool)
  #expect(less.elements(as: Bool.self) == pairs.map { Float($0) < Float($1) })
}

@Test func integerDivisionTruncatesTowardZero() throws {
  let a = Tensor([Int32(-7), 7, -7, 7, 5], shape: [5])
  let b = Tensor([Int32(2), -2, -2, 2, 0], shape: [5])
  // Division by zero is undefined in ONNX; the kernel gives 0 instead of trapping.
  #expect(try run(Div(), [a, b])[0].elements(as: Int32.self) == [-3, -3, 3, 3, 0])
}

@Test func integerArithmeticWraps() throws {
  let a = Tensor([UInt8(250), 3], shape: [2])
  let b = Tensor([UInt8(10)], shape: [1])
  #expect(try run(Add(), [a, b])[0].elements(as: UInt8.self) == [4, 13])
  #expect(try run(Sub(), [a, b])[0].elements(as: UInt8.self) == [240, 249])
}

@Test func comparisonsProduceBools() throws {
  let a = Tensor([Int64(1), 5, 3], shape: [3])
  let b = Tensor([Int64(3)], shape: [1])
  #expect(try run(Equal(), [a, b])[0].elements(as: Bool.self) == [false, false, true])
  #expect(try run(Greater(), [a, b])[0].elements(as: Bool.self) == [false, true, false])
  let p = Tensor([true, false, true], shape: [3])
  let q = Tensor([true, true, false], shape: [3])
  #expect(try run(Equal(), [p, q])[0].elements(as: Bool.self) == [true, false, false])
  let nan = floats([.nan, 1], [2])
  #expect(try run(Equal(), [nan, nan])[0].elements(as: Bool.self) == [false, true])
}

@Test func powKeepsTheBaseTypeAndMixesExponentTypes() throws {
  let base = Tensor([Int32(2), 3, 10], shape: [3])
  let half = floats([0.5], [1])
  // Computed in double and cast back toward zero: √2 → 1, √3 → 1, √10 → 3.
  #expect(try run(Pow(), [base, half])[0].elements(as: Int32.self) == [1, 1, 3])
  let x = floats([2, -3, 4], [3])
  let squared = try run(Pow(), [x, Tensor([Int64(2)], shape: [1])])[0]
  #expect(squared.dtype == .float32 && squared.elements(as: Float.self) == [4, 9, 16])
  expectClose(try run(Pow(), [x, floats([3, 2, 0.5], [3])])[0].doubles(), [8, 9, 2])
}

@Test func preluUsesAPerChannelSlope() throws {
  let x = floats([-1, 2, -3, 4, -5, 6, -7, 8], [1, 2, 2, 2])
  let slope = floats([0.5, -2], [2, 1, 1])
  let y = try run(PRelu(), [x, slope], constants: [1])[0]
  #expect(y.elements(as: Float.self) == [-0.5, 2, -1.5, 4, 10, 6, 14, 8])
}

// MARK: - Clip, variadic, Where, Cast

@Test func clipTreatsAnOmittedBoundAsUnlimited() throws {
  let x = floats([-5, 0.5, 9], [3])
  let upper = floats([1], [])
  #expect(try run(Clip(), [x, nil, upper])[0].elements(as: Float.self) == [-5, 0.5, 1])
  let lower = floats([0], [])
  #expect(try run(Clip(), [x, lower])[0].elements(as: Float.self) == [0, 0.5, 9])
  let bytes = Tensor([Int8(-100), 0, 100], shape: [3])
  let bounds = [Tensor(scalar: Int8(-10)), Tensor(scalar: Int8(20))]
  #expect(try run(Clip(), [bytes] + bounds)[0].elements(as: Int8.self) == [-10, 0, 20])
}

@Test func variadicOpsFoldEveryInputWithBroadcasting() throws {
  let a = floats([1, 2, 3, 4, 5, 6], [2, 3])
  let b = floats([10, 20, 30], [3])
  let c = floats([-1, 100], [2, 1])
  let rows = [[1.0, 2, 3], [4, 5, 6]]
  var sums: [Double] = []
  var mins: [Double] = []
  var maxs: [Double] = []
  for i in 0..<2 {
    for j in 0..<3 {
      let values = [rows[i][j], [10.0, 20, 30][j], [-1.0, 100][i]]
      sums.append(values.reduce(0, +))
      mins.append(values.min()!)
      maxs.append(values.max()!)
    }
  }
  expectClose(try run(Sum(), [a, b, c])[0].doubles(), sums)
  expectClose(try run(Mean(), [a, b, c])[0].doubles(), sums.map { $0 / 3 })
  expectClose(try run(Min(), [a, b, c])[0].doubles(), mins)
  expectClose(try run(Max(), [a, b, c])[0].doubles(), maxs)
  // One input is a copy; NaN wins in Max.
  #expect(try run(Sum(), [a])[0].elements(as: Float.self) == [1, 2, 3, 4, 5, 6])
  let withNaN = try run(Max(), [floats([.nan, 1], [2]), floats([0, .nan], [2])])[0].doubles()
  #expect(withNaN[0].isNaN && withNaN[1].isNaN)
}

@Test func whereSelectsWithBroadcasting() throws {
  let condition = Tensor([true, false], shape: [2, 1])
  let x = Tensor([1.0, 2, 3], shape: [3])
  let y = Tensor([-1.0], shape: [1])
  let result = try run(Where(), [condition, x, y])[0]
  #expect(result.shape == [2, 3])
  #expect(result.elements(as: Double.self) == [1, 2, 3, -1, -1, -1])
  let masks = try run(
    Where(), [condition, Tensor([true], shape: [1]), Tensor([false], shape: [1])])
  #expect(masks[0].elements(as: Bool.self) == [true, false])
}

@Test func castConvertsAsCDoes() throws {
  let x = floats([-1.7, -0.5, 0, 2.9, .nan], [5])
  #expect(try run(Cast(to: .int32), [x])[0].elements(as: Int32.self) == [-1, 0, 0, 2, 0])
  #expect(
    try run(Cast(to: .bool), [x])[0].elements(as: Bool.self) == [true, true, false, true, true])
  let big = Tensor([Int64(1) << 32 + 5, -1, 1 << 53 + 1], shape: [3])
  #expect(try run(Cast(to: .int32), [big])[0].elements(as: Int32.self) == [5, -1, 1])
  #expect(try run(Cast(to: .uint8), [big])[0].elements(as: UInt8.self) == [5, 255, 1])
  // Integers convert without a detour through double.
  #expect(
    try run(Cast(to: .int64), [big])[0].elements(as: Int64.self) == big.elements(as: Int64.self))
  let flags = Tensor([true, false], shape: [2])
  #expect(try run(Cast(to: .float16), [flags])[0].elements(as: Float16.self) == [1, 0])
  let widened = try run(Cast(to: .float64), [floats([0.1], [1])])[0]
  #expect(widened.elements(as: Double.self) == [Double(Float(0.1))])
  #expect(try run(Cast(to: .float32), [x])[0].doubles().dropLast() == x.doubles().dropLast())
}

// MARK: - Reductions and ArgMax

/// The reference reduction of a `[2, 3, 4]` pattern over `axes` by explicit loops.
private func referenceReduce(
  _ x: Tensor, axes: Set<Int>, keepdims: Bool, _ fold: ([Double]) -> Double
) -> (shape: [Int], values: [Double]) {
  let values = x.doubles()
  let keptShape = x.shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
  var groups = [[Double]](repeating: [], count: keptShape.reduce(1, *))
  for c in coordinates(x.shape) {
    let kept = c.enumerated().map { axes.contains($0.offset) ? 0 : $0.element }
    groups[flat(kept, keptShape)].append(values[flat(c, x.shape)])
  }
  let shape =
    keepdims ? keptShape : x.shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
  return (shape, groups.map(fold))
}

@Test(arguments: [[0, 2], [1], [2], [0], [-1, 0, 1], [1, 2]])
func reductionsMatchExplicitLoops(axes: [Int]) throws {
  let x = pattern([2, 3, 4])
  let normalised = Set(axes.map { $0 < 0 ? $0 + 3 : $0 })
  let axesTensor = Tensor(axes.map(Int64.init), shape: [axes.count])
  let cases: [(any Operator, ([Double]) -> Double)] = [
    (ReduceSum(), { $0.reduce(0, +) }),
    (ReduceMean(keepdims: false), { $0.reduce(0, +) / Double($0.count) }),
    (ReduceMax(), { $0.max()! }),
    (ReduceMin(keepdims: false), { $0.min()! }),
    (ReduceL2(), { $0.map { $0 * $0 }.reduce(0, +).squareRoot() }),
  ]
  for (op, fold) in cases {
    let keepdims = (op as! any ReductionOperator).keepdims
    let expected = referenceReduce(x, axes: normalised, keepdims: keepdims, fold)
    let y = try run(op, [x, axesTensor], constants: [1])[0]
    #expect(y.shape == expected.shape, "\(op)")
    expectClose(y.doubles(), expected.values)
  }
}

@Test func reductionsWithoutAxesReduceEverythingOrNothing() throws {
  let x = pattern([2, 3])
  let total = x.doubles().reduce(0, +)
  let all = try run(ReduceSum(keepdims: false), [x])[0]
  #expect(all.shape == [])
  expectClose(all.doubles(), [total])
  let noop = try run(ReduceSum(noopWithEmptyAxes: true), [x])[0]
  #expect(noop.elements(as: Float.self) == x.elements(as: Float.self))
}

@Test func reductionsOverAnEmptySetGiveTheirIdentity() throws {
  let x = Tensor([Float](), shape: [2, 0, 3])
  let axes = Tensor([Int64(1)], shape: [1])
  let maxima = try run(ReduceMax(), [x, axes], constants: [1])[0]
  #expect(maxima.shape == [2, 1, 3])
  #expect(maxima.elements(as: Float.self).allSatisfy { $0 == -.infinity })
  #expect(
    try run(ReduceSum(), [x, axes], constants: [1])[0].doubles() == Array(repeating: 0, count: 6))
  #expect(
    try run(ReduceMin(), [x, axes], constants: [1])[0].doubles().allSatisfy { $0 == .infinity })
}

@Test func boolAndIntegerReductions() throws {
  let flags = Tensor([true, false, false, false], shape: [2, 2])
  let axes = Tensor([Int64(1)], shape: [1])
  #expect(
    try run(ReduceMax(keepdims: false), [flags, axes], constants: [1])[0].elements(as: Bool.self)
      == [true, false])
  #expect(
    try run(ReduceMin(keepdims: false), [flags, axes], constants: [1])[0].elements(as: Bool.self)
      == [false, false])
  let integers = Tensor([Int32(1), 2, 4, -7, 0, 0], shape: [2, 3])
  // Integer means truncate toward zero: 7/3 → 2, −7/3 → −2.
  let means = try run(ReduceMean(keepdims: false), [integers, axes], constants: [1])[0]
  #expect(means.elements(as: Int32.self) == [2, -2])
}

@Test func argMaxPicksTheFirstOrLastOfEqualMaxima() throws {
  // [2, 3, 2]: along axis 1 the columns are (1, 5, 5), (2, 0, 2), (9, 9, 1), (0, 0, 0).
  let x = floats([1, 2, 5, 0, 5, 2, 9, 0, 9, 0, 1, 0], [2, 3, 2])
  let first = try run(ArgMax(axis: 1), [x])[0]
  #expect(first.shape == [2, 1, 2])
  #expect(first.elements(as: Int64.self) == [1, 0, 0, 0])
  let last = try run(ArgMax(axis: -2, keepdims: false, selectLastIndex: true), [x])[0]
  #expect(last.shape == [2, 2])
  #expect(last.elements(as: Int64.self) == [2, 2, 1, 2])
}

// MARK: - Softmax family

@Test(arguments: [(0, false), (1, false), (2, false), (-1, false), (1, true), (0, true)])
func softmaxNormalisesEachGroupOfItsAxes(axis: Int, coerceTo2D: Bool) throws {
  let shape = [2, 3, 4]
  let x = pattern(shape, scale: 3)
  let first = axis < 0 ? axis + 3 : axis
  let axes = coerceTo2D ? Set(first..<3) : [first]
  let values = x.doubles()
  // Group each element with those differing only along the normalised axes.
  var expected = [Double](repeating: 0, count: values.count)
  var expectedLog = expected
  for c in coordinates(shape) {
    let members = coordinates(shape).filter { other in
      (0..<3).allSatisfy { axes.contains($0) || other[$0] == c[$0] }
    }.map { values[flat($0, shape)] }
    let maximum = members.max()!
    let sum = members.map { exp($0 - maximum) }.reduce(0, +)
    let value = values[flat(c, shape)]
    expected[flat(c, shape)] = exp(value - maximum) / sum
    expectedLog[flat(c, shape)] = value - maximum - log(sum)
  }
  let softmax = try run(Softmax(axis: axis, coerceTo2D: coerceTo2D), [x])[0]
  expectClose(softmax.doubles(), expected)
  let logSoftmax = try run(LogSoftmax(axis: axis, coerceTo2D: coerceTo2D), [x])[0]
  expectClose(logSoftmax.doubles(), expectedLog)
}

@Test func softmaxIsStableForLargeInputs() throws {
  let y = try run(Softmax(), [floats([1000, 1001, 1002], [1, 3])])[0].doubles()
  let e = [exp(-2.0), exp(-1.0), 1]
  expectClose(y, e.map { $0 / e.reduce(0, +) })
}

// MARK: - Normalisations

@Test func batchNormalizationFoldsConstantAndRuntimeStatistics() throws {
  let x = floats([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2])
  let scale = floats([2, 0.5], [2])
  let bias = floats([1, -1], [2])
  let mean = floats([2, 6], [2])
  let variance = floats([4, 1], [2])
  let op = BatchNormalization(epsilon: 0)
  var expected: [Double] = []
  for n in 0..<2 {
    for c in 0..<2 {
      for k in 0..<2 {
        let value = Double(x.elements(as: Float.self)[(n * 2 + c) * 2 + k])
        let (s, b, m, v) = ([2.0, 0.5][c], [1.0, -1][c], [2.0, 6][c], [4.0, 1][c])
        expected.append(s * (value - m) / v.squareRoot() + b)
      }
    }
  }
  let inputs = [x, scale, bias, mean, variance]
  expectClose(try run(op, inputs, constants: [1, 2, 3, 4])[0].doubles(), expected)
  expectClose(try run(op, inputs)[0].doubles(), expected)
}

@Test func instanceNormalizationUsesEachPlanesStatistics() throws {
  let x = floats([1, 3, 10, 20, -1, -3, 0, 4], [2, 2, 2])
  let y = try run(
    InstanceNormalization(epsilon: 0), [x, floats([1, 2], [2]), floats([0, 5], [2])],
    constants: [1, 2])[0]
  // Each plane of two values normalises to (−1, 1), then scale and shift per channel.
  expectClose(y.doubles(), [-1, 1, 3, 7, 1, -1, 3, 7])
}

@Test func layerNormalizationBroadcastsScaleAndReturnsStatistics() throws {
  let x = floats([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 2, 3])
  let scale = floats([1, 2, 3], [1, 3])
  let bias = floats([0.5], [1])
  let outputs = try run(
    LayerNormalization(axis: 1, epsilon: 0), [x, scale, bias], constants: [1, 2], outputs: 3)
  #expect(outputs[0].shape == [2, 2, 3] && outputs[1].shape == [2, 1, 1])
  let values = x.doubles()
  var expected: [Double] = []
  var means: [Double] = []
  var inverses: [Double] = []
  for row in 0..<2 {
    let group = Array(values[row * 6..<row * 6 + 6])
    let mean = group.reduce(0, +) / 6
    let inverse = 1 / (group.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 6).squareRoot()
    means.append(mean)
    inverses.append(inverse)
    for k in 0..<6 { expected.append((group[k] - mean) * inverse * [1.0, 2, 3][k % 3] + 0.5) }
  }
  expectClose(outputs[0].doubles(), expected)
  expectClose(outputs[1].doubles(), means)
  expectClose(outputs[2].doubles(), inverses)
}

// MARK: - Threads

@Test func resultsAreBitIdenticalForAnyThreadCount() throws {
  let x = pattern([4, 16, 40, 40])
  let cases: [(any Operator, [Tensor], Set<Int>)] = [
    (Softmax(axis: 1), [x], []),
    (Softmax(axis: -1), [x], []),
    (ReduceMean(), [x, Tensor([Int64(2), 3], shape: [2])], [1]),
    (ReduceSum(), [x, Tensor([Int64(0), 2], shape: [2])], [1]),
    (Add(), [x, pattern([16, 1, 1])], []),
    (LayerNormalization(), [x, pattern([40])], [1]),
    (Sigmoid(), [x], []),
  ]
  for (op, inputs, constants) in cases {
    let one = try run(op, inputs, constants: constants, threads: 1)[0]
    let two = try run(op, inputs, constants: constants, threads: 2)[0]
    #expect(one.elements(as: Float.self) == two.elements(as: Float.self), "\(op)")
  }
}
