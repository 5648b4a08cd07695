import GraftIR
import Testing

@testable import GraftRuntime

// MARK: Helpers

/// The shared node runner with named values: `inputs` are graph inputs, `constants` are known at
/// plan time, and the node reads them in `inputOrder` (the inputs' order by default).
private func run(
  _ op: any Operator, inputs: [(String, Tensor)], constants: [String: Tensor] = [:],
  inputOrder: [String]? = nil, outputs: Int = 1, threads: Int = 1
) throws -> [Tensor] {
  let order = inputOrder ?? inputs.map(\.0)
  let named = Dictionary(uniqueKeysWithValues: inputs)
  return try run(
    op, order.map { named[$0] ?? constants[$0] },
    constants: Set(order.indices.filter { constants[order[$0]] != nil }), outputs: outputs,
    threads: threads)
}

/// Deterministic, irregular test values in [−0.5, 0.5).
private func values(_ count: Int, seed: Int = 0) -> [Float] {
  (0..<count).map { Float(($0 * 37 + seed * 11 + 5) % 23) / 23 - 0.5 }
}

private func expectClose(_ actual: [Float], _ expected: [Float], tolerance: Float = 1e-5) {
  #expect(actual.count == expected.count)
  for (index, (a, e)) in zip(actual, expected).enumerated() where abs(a - e) > tolerance {
    Issue.record("element \(index) is \(a), expected \(e)")
    return
  }
}

/// Row-major decomposition of `flat` over `shape`.
private func unflatten(_ flat: Int, _ shape: [Int]) -> [Int] {
  var remainder = flat
  return shape.reversed().map { size in
    defer { remainder /= size }
    return remainder % size
  }.reversed()
}

private func flatten(_ index: [Int], _ shape: [Int]) -> Int {
  zip(index, shape).reduce(0) { $0 * $1.1 + $1.0 }
}

/// The convolution formula evaluated cell by cell, for any spatial rank:
/// `Y[n, m, o] = B[m] + Σ_{c, κ} X[n, g·C/group + c, o·s + κ·d − p] · W[m, c, κ]`.
private func referenceConv(
  x: [Float], xShape: [Int], w: [Float], wShape: [Int], bias: [Float]?, group: Int,
  strides: [Int], dilations: [Int], padBegin: [Int], output: [Int]
) -> [Float] {
  let (n, c, m) = (xShape[0], xShape[1], wShape[0])
  let spatial = Array(xShape[2...])
  let kernel = Array(wShape[2...])
  let (perGroupIn, perGroupOut) = (c / group, m / group)
  var y: [Float] = []
  for b in 0..<n {
    for oc in 0..<m {
      for o in 0..<output.reduce(1, *) {
        let position = unflatten(o, output)
        var sum = bias?[oc] ?? 0
        for ic in 0..<perGroupIn {
          for k in 0..<kernel.reduce(1, *) {
            let cell = unflatten(k, kernel)
            let i = spatial.indices.map {
              position[$0] * strides[$0] + cell[$0] * dilations[$0] - padBegin[$0]
            }
            guard zip(i, spatial).allSatisfy({ $0 >= 0 && $0 < $1 }) else { continue }
            let channel = oc / perGroupOut * perGroupIn + ic
            sum +=
              x[(b * c + channel) * spatial.reduce(1, *) + flatten(i, spatial)]
              * w[(oc * perGroupIn + ic) * kernel.reduce(1, *) + k]
          }
        }
        y.append(sum)
      }
    }
  }
  return y
}

// MARK: Conv

struct ConvCase: Sendable, CustomTestStringConvertible {
  let name: String
  let x: [Int]
  let w: [Int]
  let group: Int
  let strides: [Int]
  let dilations: [Int]
  let pads: [Int]
  let output: [Int]
  var testDescription: String { name }
}

@Test(arguments: [
  ConvCase(
    name: "1-D strided dilated", x: [2, 3, 11], w: [4, 3, 3], group: 1, strides: [2],
    dilations: [2], pads: [1, 2], output: [5]),
  ConvCase(
    name: "2-D grouped asymmetric pads", x: [1, 4, 7, 6], w: [6, 2, 3, 2], group: 2,
    strides: [2, 1], dilations: [1, 2], pads: [1, 0, 2, 1], output: [4, 5]),
  ConvCase(
    name: "2-D depthwise with multiplier", x: [2, 3, 6, 5], w: [6, 1, 3, 3], group: 3,
    strides: [1, 2], dilations: [1, 1], pads: [1, 1, 1, 1], output: [6, 3]),
  ConvCase(
    name: "2-D depthwise strided dilated", x: [1, 2, 7, 9], w: [2, 1, 3, 3], group: 2,
    strides: [2, 3], dilations: [2, 2], pads: [2, 1, 1, 2], output: [3, 3]),
  ConvCase(
    name: "1-D depthwise stride 3", x: [2, 3, 14], w: [3, 1, 4], group: 3, strides: [3],
    dilations: [1], pads: [2, 0], output: [5]),
  ConvCase(
    name: "2-D pointwise", x: [1, 5, 4, 4], w: [3, 5, 1, 1], group: 1, strides: [1, 1],
    dilations: [1, 1], pads: [0, 0, 0, 0], output: [4, 4]),
  ConvCase(
    name: "3-D", x: [1, 2, 4, 5, 3], w: [3, 2, 2, 3, 2], group: 1, strides: [1, 2, 1],
    dilations: [1, 1, 2], pads: [0, 1, 1, 1, 0, 0], output: [4, 2, 2]),
])
func convMatchesTheFormula(_ test: ConvCase) throws {
  let x = values(test.x.reduce(1, *))
  let w = values(test.w.reduce(1, *), seed: 1)
  let bias = values(test.w[0], seed: 2)
  let op = Conv(
    dilations: test.dilations, group: test.group, pads: test.pads, strides: test.strides)
  let y = try run(
    op, inputs: [("x", Tensor(x, shape: test.x))],
    constants: ["w": Tensor(w, shape: test.w), "b": Tensor(bias, shape: [test.w[0]])],
    inputOrder: ["x", "w", "b"])[0]
  #expect(y.shape == [test.x[0], test.w[0]] + test.output)
  let rank = test.x.count - 2
  expectClose(
    y.elements(as: Float.self),
    referenceConv(
      x: x, xShape: test.x, w: w, wShape: test.w, bias: bias, group: test.group,
      strides: test.strides, dilations: test.dilations, padBegin: Array(test.pads[..<rank]),
      output: test.output))
}

@Test func convSameLowerPutsTheOddPadAtTheBeginning() throws {
  // 5 wide, kernel 2, stride 2: output 3, total pad (3−1)·2 + 2 − 5 = 1, all at the beginning.
  let x: [Float] = [1, 2, 3, 4, 5]
  let op = Conv(autoPad: .sameLower, strides: [2])
  let y = try run(
    op, inputs: [("x", Tensor(x, shape: [1, 1, 5]))],
    constants: ["w": Tensor([Float(10), 1], shape: [1, 1, 2])], inputOrder: ["x", "w"])[0]
  #expect(y.shape == [1, 1, 3])
  // Windows start at −1, 1, 3: [pad, 1], [2, 3], [4, 5].
  #expect(y.elements(as: Float.self) == [1, 23, 45])
}

@Test func convAcceptsAWeightComputedAtRunTime() throws {
  let x = values(2 * 3 * 5 * 5)
  let w = values(4 * 3 * 3 * 3, seed: 3)
  let y = try run(
    Conv(pads: [1, 1, 1, 1]),
    inputs: [("x", Tensor(x, shape: [2, 3, 5, 5])), ("w", Tensor(w, shape: [4, 3, 3, 3]))])[0]
  expectClose(
    y.elements(as: Float.self),
    referenceConv(
      x: x, xShape: [2, 3, 5, 5], w: w, wShape: [4, 3, 3, 3], bias: nil, group: 1,
      strides: [1, 1], dilations: [1, 1], padBegin: [1, 1], output: [5, 5]))
}

@Test func convRunsOnFloat16ThroughFloat32() throws {
  let x: [Float16] = [1, 2, 3, 4]
  let y = try run(
    Conv(), inputs: [("x", Tensor(x, shape: [1, 1, 4]))],
    constants: ["w": Tensor([Float16(0.5), 2], shape: [1, 1, 2])], inputOrder: ["x", "w"])[0]
  #expect(y.dtype == .float16)
  #expect(y.elements(as: Float16.self) == [4.5, 7, 9.5])
}

@Test func convIsBitIdenticalOnOneAndTwoThreads() throws {
  // 20×20 outputs split into several column blocks; 16 output channels in two groups.
  let x = Tensor(values(2 * 8 * 20 * 20), shape: [2, 8, 20, 20])
  let constants = [
    "w": Tensor(values(16 * 4 * 3 * 3, seed: 4), shape: [16, 4, 3, 3]),
    "b": Tensor(values(16, seed: 5), shape: [16]),
  ]
  let op = Conv(group: 2, pads: [1, 1, 1, 1])
  let one = try run(op, inputs: [("x", x)], constants: constants, inputOrder: ["x", "w", "b"])
  let two = try run(
    op, inputs: [("x", x)], constants: constants, inputOrder: ["x", "w", "b"], threads: 2)
  #expect(one[0].elements(as: Float.self) == two[0].elements(as: Float.self))
}

// MARK: ConvTranspose

@Test func convTransposeScattersEachInputCell() throws {
  // Groups 2, stride 2, dilation 1, pads [1, 0], output_padding 1, bias:
  // Y[n, m, i·2 + κ − 1] += X[n, c, i]·W[c, m mod 2, κ] within each group.
  let x = values(1 * 4 * 3)
  let w = values(4 * 2 * 3, seed: 6)
  let bias: [Float] = [0.5, -1, 2, 0]
  let op = ConvTranspose(group: 2, outputPadding: [1], pads: [1, 0], strides: [2])
  let y = try run(
    op, inputs: [("x", Tensor(x, shape: [1, 4, 3]))],
    constants: ["w": Tensor(w, shape: [4, 2, 3]), "b": Tensor(bias, shape: [4])],
    inputOrder: ["x", "w", "b"])[0]
  // O = 2·(3 − 1) + 1 + 3 − 1 − 0 = 7.
  #expect(y.shape == [1, 4, 7])
  var expected = (0..<4).flatMap { Array(repeating: bias[$0], count: 7) }
  for c in 0..<4 {
    for i in 0..<3 {
      for m in 0..<2 {
        for k in 0..<3 {
          let o = i * 2 + k - 1
          guard o >= 0 && o < 7 else { continue }
          expected[((c / 2) * 2 + m) * 7 + o] += x[c * 3 + i] * w[(c * 2 + m) * 3 + k]
        }
      }
    }
  }
  expectClose(y.elements(as: Float.self), expected)
}

// MARK: Gemm and MatMul

@Test func gemmTransposesScalesAndBroadcastsAColumn() throws {
  // A' = Aᵀ = [[1, 3], [2, 4]], B' = Bᵀ = [[1, 0], [1, 1]], C [2, 1] broadcast along rows.
  let a = Tensor([Float(1), 2, 3, 4], shape: [2, 2])
  let b = Tensor([Float(1), 1, 0, 1], shape: [2, 2])
  let c = Tensor([Float(10), 20], shape: [2, 1])
  let op = Gemm(alpha: 2, beta: 0.5, transA: true, transB: true)
  let y = try run(op, inputs: [("a", a), ("b", b), ("c", c)])[0]
  // A'·B' = [[4, 3], [6, 4]]; ·2 + 0.5·C.
  #expect(y.elements(as: Float.self) == [13, 11, 22, 18])
}

@Test func matMulBroadcastsBatchesBothWays() throws {
  // A [2, 1, 2, 3] × B [3, 3, 2] → [2, 3, 2, 2].
  let a = values(2 * 2 * 3)
  let b = values(3 * 3 * 2, seed: 7)
  let y = try run(
    MatMul(), inputs: [("a", Tensor(a, shape: [2, 1, 2, 3])), ("b", Tensor(b, shape: [3, 3, 2]))]
  )[0]
  #expect(y.shape == [2, 3, 2, 2])
  var expected: [Float] = []
  for i in 0..<2 {
    for j in 0..<3 {
      for r in 0..<2 {
        for col in 0..<2 {
          expected.append(
            (0..<3).reduce(0) { $0 + a[(i * 2 + r) * 3 + $1] * b[(j * 3 + $1) * 2 + col] })
        }
      }
    }
  }
  expectClose(y.elements(as: Float.self), expected)
}

@Test func matMulOfAVectorDropsTheInsertedAxis() throws {
  let v = Tensor([Float(1), 2], shape: [2])
  let m = Tensor([Float(1), 2, 3, 4, 5, 6, 7, 8], shape: [2, 2, 2])
  let left = try run(MatMul(), inputs: [("v", v), ("m", m)])[0]
  #expect(left.shape == [2, 2])
  #expect(left.elements(as: Float.self) == [7, 10, 19, 22])
  let right = try run(MatMul(), inputs: [("m", m), ("v", v)])[0]
  #expect(right.shape == [2, 2])
  #expect(right.elements(as: Float.self) == [5, 11, 17, 23])
}

@Test func matMulOnInt64IsExact() throws {
  let big: Int64 = 1 << 40
  let a = Tensor([big, 1], shape: [1, 2])
  let b = Tensor([Int64(3), 5], shape: [2, 1])
  let y = try run(MatMul(), inputs: [("a", a), ("b", b)])[0]
  #expect(y.elements(as: Int64.self) == [3 * big + 5])
}

@Test func matMulIsBitIdenticalOnOneAndTwoThreads() throws {
  let a = Tensor(values(3 * 150 * 40), shape: [3, 150, 40])
  let b = Tensor(values(40 * 70, seed: 8), shape: [40, 70])
  let one = try run(MatMul(), inputs: [("a", a), ("b", b)])[0]
  let two = try run(MatMul(), inputs: [("a", a), ("b", b)], threads: 2)[0]
  #expect(one.elements(as: Float.self) == two.elements(as: Float.self))
}

// MARK: Einsum

@Test func einsumProductWithPermutedOperandsAndOutput() throws {
  // "kj,ik->ji": A is Bᵀ-like, output transposed: Y[j, i] = Σ_k A[k, j]·B[i, k].
  let a = values(4 * 3)
  let b = values(2 * 4, seed: 9)
  let y = try run(
    Einsum(equation: "kj,ik->ji"),
    inputs: [("a", Tensor(a, shape: [4, 3])), ("b", Tensor(b, shape: [2, 4]))])[0]
  #expect(y.shape == [3, 2])
  let expected = (0..<3).flatMap { j in
    (0..<2).map { i in (0..<4).reduce(Float(0)) { $0 + a[$1 * 3 + j] * b[i * 4 + $1] } }
  }
  expectClose(y.elements(as: Float.self), expected)
}

@Test func einsumReadsDiagonalsAndSumsSingleOperandLabels() throws {
  let m = Tensor([Double(1), 2, 3, 4, 5, 6, 7, 8, 9], shape: [3, 3])
  let diagonal = try run(Einsum(equation: "ii->i"), inputs: [("m", m)])[0]
  #expect(diagonal.elements(as: Double.self) == [1, 5, 9])
  let trace = try run(Einsum(equation: "ii"), inputs: [("m", m)])[0]
  #expect(trace.shape == [])
  #expect(trace.elements(as: Double.self) == [15])
  let rows = Tensor([Int64(1), 2, 3, 4], shape: [2, 2])
  let outer = try run(
    Einsum(equation: "ij,k->ik"), inputs: [("a", rows), ("b", Tensor([Int64(1), 10], shape: [2]))]
  )[0]
  #expect(outer.elements(as: Int64.self) == [3, 30, 7, 70])
}

// MARK: Pooling and LRN

@Test func maxPoolIndicesInColumnMajorOrder() throws {
  // 2×3 plane, kernel 2×2, stride 1 → 1×2 windows; second channel offset by 6.
  let x = Tensor([Float(1), 9, 2, 8, 3, 7, 0, 0, 5, 0, 0, 0], shape: [1, 2, 2, 3])
  let op = MaxPool(kernelShape: [2, 2], storageOrder: 1)
  let outputs = try run(op, inputs: [("x", x)], outputs: 2)
  #expect(outputs[0].elements(as: Float.self) == [9, 9, 0, 5])
  // 9 sits at (0, 1): column-major 0 + 1·2 = 2. In channel 1 (offset 6) the first of the tied
  // zeros, (0, 0), wins the first window; 5 at (0, 2) is 6 + 2·2 = 10.
  #expect(outputs[1].elements(as: Int64.self) == [2, 2, 6, 10])
}

@Test func maxPoolOnInt8WithCeilMode() throws {
  // Width 5, kernel 2, stride 2, ceil: windows [0, 1], [2, 3], [4]; padding never wins.
  let x = Tensor([Int8(-5), -3, -8, -7, -100], shape: [1, 1, 5])
  let y = try run(MaxPool(kernelShape: [2], ceilMode: true, strides: [2]), inputs: [("x", x)])[0]
  #expect(y.elements(as: Int8.self) == [-3, -7, -100])
}

@Test func averagePoolCountsPaddingButNotCeilOverhang() throws {
  // Width 5, pads [1, 0], kernel 3, stride 2, ceil → 3 windows: [pad, 1, 2], [2, 3, 4] and
  // [4, 5, overhang] (the overhang lies past the end pad). With count_include_pad: 3/3, 9/3, 9/2.
  let x = Tensor([Float(1), 2, 3, 4, 5], shape: [1, 1, 5])
  let op = AveragePool(
    kernelShape: [3], ceilMode: true, countIncludePad: true, pads: [1, 0], strides: [2])
  let y = try run(op, inputs: [("x", x)])[0]
  #expect(y.elements(as: Float.self) == [1, 3, 4.5])
  let excluded = try run(
    AveragePool(kernelShape: [3], ceilMode: true, pads: [1, 0], strides: [2]),
    inputs: [("x", x)])[0]
  #expect(excluded.elements(as: Float.self) == [1.5, 3, 4.5])
}

@Test func globalPoolsReduceEachPlane() throws {
  let x = Tensor([Float(1), 5, 3, 3, -2, -4, -6, 0], shape: [1, 2, 2, 2])
  let mean = try run(GlobalAveragePool(), inputs: [("x", x)])[0]
  #expect(mean.shape == [1, 2, 1, 1])
  #expect(mean.elements(as: Float.self) == [3, -3])
  let max = try run(GlobalMaxPool(), inputs: [("x", x)])[0]
  #expect(max.elements(as: Float.self) == [5, 0])
}

@Test func lrnNormalisesOverNeighbouringChannels() throws {
  // size 2: channel c sums squares of c and c + 1 (clipped); alpha 2, beta 1, bias 1.
  let x = Tensor([Float(1), 2, 3], shape: [1, 3, 1])
  let y = try run(LRN(size: 2, alpha: 2, beta: 1, bias: 1), inputs: [("x", x)])[0]
  // Scales 1 + (2/2)·sum: 1 + 5, 1 + 13, 1 + 9.
  expectClose(y.elements(as: Float.self), [1.0 / 6, 2.0 / 14, 3.0 / 10])
}

// MARK: Depthwise

struct DepthwiseCase: Sendable, CustomTestStringConvertible {
  let name: String
  /// Batch, channels and spatial sizes of X.
  let x: [Int]
  let kernel: [Int]
  let strides: [Int]
  let dilations: [Int]
  let pads: [Int]
  var testDescription: String { name }

  var rank: Int { kernel.count }
  var output: [Int] {
    (0..<rank).map { a in
      (x[2 + a] + pads[a] + pads[rank + a] - (kernel[a] - 1) * dilations[a] - 1) / strides[a] + 1
    }
  }
}

/// Widths 1 to 23 give output rows with every remainder modulo the vector width (8), and planes
/// with fewer vectors than a group as well as several groups.
@Test(arguments: [
  DepthwiseCase(
    name: "3×3 stride 1 pad 1, width 17", x: [2, 3, 9, 17], kernel: [3, 3], strides: [1, 1],
    dilations: [1, 1], pads: [1, 1, 1, 1]),
  DepthwiseCase(
    name: "3×3 stride 1 pad 0, width 23", x: [1, 2, 6, 23], kernel: [3, 3], strides: [1, 1],
    dilations: [1, 1], pads: [0, 0, 0, 0]),
  DepthwiseCase(
    name: "3×3 stride 2 pad 0, odd input", x: [2, 3, 13, 13], kernel: [3, 3], strides: [2, 2],
    dilations: [1, 1], pads: [0, 0, 0, 0]),
  DepthwiseCase(
    name: "3×3 stride 2 pad 1, width 40", x: [1, 2, 7, 40], kernel: [3, 3], strides: [2, 2],
    dilations: [1, 1], pads: [1, 1, 1, 1]),
  DepthwiseCase(
    name: "3×3 stride 2 asymmetric pads", x: [1, 3, 10, 11], kernel: [3, 3], strides: [2, 2],
    dilations: [1, 1], pads: [0, 1, 1, 0]),
  DepthwiseCase(
    name: "5×5 stride 1 pad 2, width 7", x: [2, 2, 7, 7], kernel: [5, 5], strides: [1, 1],
    dilations: [1, 1], pads: [2, 2, 2, 2]),
  DepthwiseCase(
    name: "5×5 stride 2 asymmetric pads", x: [1, 3, 15, 19], kernel: [5, 5], strides: [2, 2],
    dilations: [1, 1], pads: [1, 2, 2, 1]),
  DepthwiseCase(
    name: "3×3 width 1", x: [1, 2, 5, 1], kernel: [3, 3], strides: [1, 1], dilations: [1, 1],
    pads: [1, 1, 1, 1]),
  DepthwiseCase(
    name: "2×4 strides 1×3 dilated", x: [1, 2, 8, 29], kernel: [2, 4], strides: [1, 3],
    dilations: [3, 2], pads: [1, 0, 2, 3]),
  DepthwiseCase(
    name: "1-D stride 2", x: [2, 3, 21], kernel: [3], strides: [2], dilations: [1], pads: [1, 1]),
  DepthwiseCase(
    name: "3-D", x: [1, 2, 4, 5, 6], kernel: [3, 2, 3], strides: [1, 2, 1],
    dilations: [1, 1, 2], pads: [1, 0, 1, 1, 1, 0]),
])
func depthwiseConvMatchesTheFormula(_ test: DepthwiseCase) throws {
  let channels = test.x[1]
  let wShape = [channels, 1] + test.kernel
  let x = values(test.x.reduce(1, *))
  let w = values(wShape.reduce(1, *), seed: 1)
  let bias = values(channels, seed: 2)
  let op = Conv(
    dilations: test.dilations, group: channels, pads: test.pads, strides: test.strides)
  let y = try run(
    op, inputs: [("x", Tensor(x, shape: test.x))],
    constants: ["w": Tensor(w, shape: wShape), "b": Tensor(bias, shape: [channels])],
    inputOrder: ["x", "w", "b"])[0]
  #expect(y.shape == Array(test.x[..<2]) + test.output)
  expectClose(
    y.elements(as: Float.self),
    referenceConv(
      x: x, xShape: test.x, w: w, wShape: wShape, bias: bias, group: channels,
      strides: test.strides, dilations: test.dilations, padBegin: Array(test.pads[..<test.rank]),
      output: test.output))
}

@Test(arguments: [FusedActivation.relu, .clip(lower: 0, upper: 0.25)])
func depthwiseAppliesTheActivationToEachSum(_ activation: FusedActivation) {
  // Two planes of 6×11 (outputs 3×6 at stride 2), with a NaN in the second: Relu turns the sums
  // it reaches into 0, Clip keeps them NaN, as the standalone kernels do.
  let (channels, input, output) = (2, [6, 11], [3, 6])
  let geometry = WindowGeometry(
    input: input, output: output, kernel: [3, 3], strides: [2, 2], dilations: [1, 1],
    padBegin: [1, 1])
  let depthwise = DepthwiseConvolution(
    geometry: geometry, channels: channels, channelMultiplier: 1)
  var x = values(channels * 66, seed: 3)
  x[66 + 2 * 11 + 4] = .nan
  let w = values(channels * 9, seed: 4)
  let bias: [Float] = [0.1, -0.2]
  var y = [Float](repeating: 7, count: channels * 18)
  x.withUnsafeBufferPointer { x in
    w.withUnsafeBufferPointer { w in
      bias.withUnsafeBufferPointer { bias in
        y.withUnsafeMutableBufferPointer { y in
          depthwise.run(
            0..<channels, x: x.baseAddress!, w: w.baseAddress!, bias: bias.baseAddress,
            activation: activation, y: y.baseAddress!)
        }
      }
    }
  }
  let sums = referenceConv(
    x: x, xShape: [1, channels] + input, w: w, wShape: [channels, 1, 3, 3], bias: bias,
    group: channels, strides: [2, 2], dilations: [1, 1], padBegin: [1, 1], output: output)
  let expected: [Float] =
    switch activation {
    case .relu: sums.map { $0 > 0 ? $0 : 0 }
    case .clip(let lower, let upper): sums.map { $0.isNaN ? $0 : min(max($0, lower), upper) }
    }
  #expect(sums.contains { $0.isNaN })
  #expect(zip(y, expected).allSatisfy { $0.isNaN == $1.isNaN })
  expectClose(y.map { $0.isNaN ? 0 : $0 }, expected.map { $0.isNaN ? 0 : $0 })
}

@Test func depthwiseConvIsBitIdenticalOnOneAndTwoThreads() throws {
  // 24 planes of 19×21 at stride 2: the threads split the planes differently than one thread.
  let x = Tensor(values(2 * 12 * 19 * 21), shape: [2, 12, 19, 21])
  let constants = [
    "w": Tensor(values(12 * 9, seed: 5), shape: [12, 1, 3, 3]),
    "b": Tensor(values(12, seed: 6), shape: [12]),
  ]
  let op = Conv(group: 12, pads: [1, 1, 1, 1], strides: [2, 2])
  let one = try run(op, inputs: [("x", x)], constants: constants, inputOrder: ["x", "w", "b"])
  let two = try run(
    op, inputs: [("x", x)], constants: constants, inputOrder: ["x", "w", "b"], threads: 2)
  #expect(one[0].elements(as: Float.self) == two[0].elements(as: Float.self))
}

@Test func depthwiseNeverWritesPastItsPlane() {
  // Planes of 3×2 are narrower than a vector: computed last to first, each must leave the next
  // plane (another thread's, in general) and the memory past the output untouched.
  let (channels, plane) = (3, [3, 2])
  let geometry = WindowGeometry(
    input: plane, output: plane, kernel: [3, 3], strides: [1, 1], dilations: [1, 1],
    padBegin: [1, 1])
  let depthwise = DepthwiseConvolution(
    geometry: geometry, channels: channels, channelMultiplier: 1)
  let x = values(channels * 6, seed: 7)
  let w = values(channels * 9, seed: 8)
  var y = [Float](repeating: 7, count: channels * 6 + 8)
  x.withUnsafeBufferPointer { x in
    w.withUnsafeBufferPointer { w in
      y.withUnsafeMutableBufferPointer { y in
        for item in (0..<channels).reversed() {
          depthwise.run(
            item..<(item + 1), x: x.baseAddress!, w: w.baseAddress!, bias: nil, activation: nil,
            y: y.baseAddress!)
        }
      }
    }
  }
  expectClose(
    Array(y[..<(channels * 6)]),
    referenceConv(
      x: x, xShape: [1, channels] + plane, w: w, wShape: [channels, 1, 3, 3], bias: nil,
      group: channels, strides: [1, 1], dilations: [1, 1], padBegin: [1, 1], output: plane))
  #expect(y[(channels * 6)...].allSatisfy { $0 == 7 })
}
