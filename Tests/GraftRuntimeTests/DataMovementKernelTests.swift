import GraftIR
import Testing

@testable import GraftRuntime

private func floats(_ count: Int, shape: [Int]) -> Tensor {
  Tensor((0..<count).map { Float($0) }, shape: shape)
}

private func ints(_ values: [Int]) -> Tensor {
  Tensor(values.map(Int64.init), shape: [values.count])
}

// MARK: Transpose

@Test(arguments: [[0, 2, 3, 1], [0, 3, 1, 2], [2, 0, 3, 1], [3, 2, 1, 0], [0, 1, 3, 2]])
func transposeMatchesIndexFormula(perm: [Int]) throws {
  let shape = [2, 8, 5, 6]
  let input = floats(480, shape: shape)
  let output = try run(Transpose(perm: perm), [input])[0]
  #expect(output.shape == perm.map { shape[$0] })
  let values = output.elements(as: Float.self)
  let strides = [240, 30, 6, 1]
  var position = [0, 0, 0, 0]
  for value in values {
    // Output index `position` reads input index p with p[perm[a]] = position[a].
    let source = (0..<4).reduce(0) { $0 + position[$1] * strides[perm[$1]] }
    #expect(value == Float(source))
    var axis = 3
    while axis >= 0 {
      position[axis] += 1
      if position[axis] < shape[perm[axis]] { break }
      position[axis] = 0
      axis -= 1
    }
  }
}

@Test func transposeOfBytesAndLongsDefaultsToReversedAxes() throws {
  let bytes = Tensor((0..<6).map { UInt8($0) }, shape: [2, 3])
  #expect(try run(Transpose(), [bytes])[0].elements(as: UInt8.self) == [0, 3, 1, 4, 2, 5])
  let longs = Tensor((0..<6).map { Int64($0) - 3 }, shape: [3, 2])
  #expect(try run(Transpose(), [longs])[0].elements(as: Int64.self) == [-3, -1, 1, -2, 0, 2])
}

@Test func transposeIsBitIdenticalOnOneAndTwoThreads() throws {
  let values: [Float] = (0..<200_704).map { Float($0).squareRoot() }
  let input = Tensor(values, shape: [4, 64, 28, 28])
  let one = try run(Transpose(perm: [0, 2, 3, 1]), [input], threads: 1)[0]
  let two = try run(Transpose(perm: [0, 2, 3, 1]), [input], threads: 2)[0]
  #expect(one.elements(as: Float.self) == two.elements(as: Float.self))
}

// MARK: Shape-only ops

@Test func reshapingOpsKeepTheBytes() throws {
  let input = Tensor((0..<12).map { Float16(Float($0)) }, shape: [1, 3, 4])
  let reshaped = try run(Reshape(), [input, ints([4, -1])], constants: [1])[0]
  #expect(reshaped.shape == [4, 3])
  #expect(reshaped.elements(as: Float16.self) == input.elements(as: Float16.self))
  #expect(try run(Flatten(axis: 2), [input])[0].shape == [3, 4])
  #expect(try run(Squeeze(), [input, ints([0])], constants: [1])[0].shape == [3, 4])
  let unsqueezed = try run(Unsqueeze(), [input, ints([-1])], constants: [1])[0]
  #expect(unsqueezed.shape == [1, 3, 4, 1])
  #expect(unsqueezed.elements(as: Float16.self) == input.elements(as: Float16.self))
}

@Test func dropoutIsTheIdentityWithAnAllTrueMask() throws {
  let input = floats(6, shape: [2, 3])
  let results = try run(Dropout(), [input, Tensor(scalar: Float(0.3))], constants: [1], outputs: 2)
  #expect(results[0].elements(as: Float.self) == input.elements(as: Float.self))
  #expect(results[1].dtype == .bool)
  #expect(results[1].elements(as: Bool.self) == Array(repeating: true, count: 6))
}

@Test func dropoutRefusesTrainingModeKnownOnlyAtRunTime() throws {
  let input = floats(4, shape: [4])
  #expect(throws: RuntimeError.self) {
    _ = try run(Dropout(), [input, Tensor(scalar: Float(0.5)), Tensor(scalar: true)])
  }
  let zeroRatio = try run(Dropout(), [input, Tensor(scalar: Float(0)), Tensor(scalar: true)])
  #expect(zeroRatio[0].elements(as: Float.self) == [0, 1, 2, 3])
}

@Test func shapeAndSizeOfASymbolicBatchAreWrittenAtRunTime() throws {
  var graph = Graph()
  graph.inputs = [ValueInfo(name: "x", type: ValueType(.float32, [.symbol("N"), .fixed(3)]))]
  graph.nodes = [
    Node(name: "shape", op: Shape(start: -2), inputs: ["x"], outputs: ["s"]),
    Node(name: "size", op: Size(), inputs: ["x"], outputs: ["n"]),
    Node(name: "tail", op: Shape(start: 1, end: 5), inputs: ["x"], outputs: ["t"]),
  ]
  graph.outputs = ["s", "n", "t"].map { ValueInfo(name: $0, type: .unknown) }
  let session = try Session(graph: graph, threads: 1)
  #expect(session.graph.nodes.count == 2, "Shape(x)[1:] is fixed and folds; the rest stays")
  let results = try session.run(["x": floats(15, shape: [5, 3])])
  #expect(results["s"]?.elements(as: Int64.self) == [5, 3])
  #expect(results["n"]?.elements(as: Int64.self) == [15])
  #expect(results["t"]?.elements(as: Int64.self) == [3])
}

// MARK: Concat, Split, Slice, Gather

@Test func concatJoinsAlongAnInnerAxisAndSkipsEmptyParts() throws {
  let a = Tensor([Int64](1...4), shape: [2, 2])
  let empty = Tensor([Int64](), shape: [2, 0])
  let b = Tensor([Int64](5...10), shape: [2, 3])
  let output = try run(Concat(axis: -1), [a, empty, b])[0]
  #expect(output.shape == [2, 5])
  #expect(output.elements(as: Int64.self) == [1, 2, 5, 6, 7, 3, 4, 8, 9, 10])
}

@Test func splitCutsUnevenParts() throws {
  let input = floats(14, shape: [2, 7])
  let parts = try run(Split(axis: 1), [input, ints([2, 0, 5])], constants: [1], outputs: 3)
  #expect(parts.map(\.shape) == [[2, 2], [2, 0], [2, 5]])
  #expect(parts[0].elements(as: Float.self) == [0, 1, 7, 8])
  #expect(parts[2].elements(as: Float.self) == [2, 3, 4, 5, 6, 9, 10, 11, 12, 13])
  let equal = try run(Split(axis: 1, numOutputs: 3), [input], outputs: 3)
  #expect(equal.map(\.shape) == [[2, 3], [2, 3], [2, 1]])
  #expect(equal[2].elements(as: Float.self) == [6, 13])
}

@Test func sliceWithNegativeStepsAndClampedBounds() throws {
  let input = floats(20, shape: [2, 10])
  let reversed = try run(
    SliceOp(), [input, ints([-1]), ints([Int(Int64.min)]), ints([-1]), ints([-3])],
    constants: [1, 2, 3, 4])[0]
  #expect(reversed.shape == [2, 4])
  #expect(reversed.elements(as: Float.self) == [9, 6, 3, 0, 19, 16, 13, 10])
  let clamped = try run(
    SliceOp(), [input, ints([1, -100]), ints([5, 2])], constants: [1, 2])[0]
  #expect(clamped.elements(as: Float.self) == [10, 11])
}

@Test func gatherReadsNegativeRunTimeIndicesOnAnyAxis() throws {
  let data = floats(6, shape: [2, 3])
  let indices = Tensor([Int32(-1), 0], shape: [1, 2])
  let output = try run(Gather(axis: 1), [data, indices])[0]
  #expect(output.shape == [2, 1, 2])
  #expect(output.elements(as: Float.self) == [2, 0, 5, 3])
  let rows = try run(Gather(), [data, Tensor(scalar: Int64(-2))])[0]
  #expect(rows.shape == [3])
  #expect(rows.elements(as: Float.self) == [0, 1, 2])
}

@Test func gatherRejectsAnIndexOutsideTheAxis() throws {
  #expect(throws: RuntimeError.self) {
    _ = try run(Gather(), [floats(6, shape: [2, 3]), ints([2])])
  }
}

// MARK: Pad, Tile, Expand

@Test func padModesMatchNumPy() throws {
  let input = Tensor([Int32(1), 2, 3], shape: [3])
  let pads = ints([4, 4])
  func padded(_ mode: Pad.Mode) throws -> [Int32] {
    try run(Pad(mode: mode), [input, pads], constants: [1])[0].elements(as: Int32.self)
  }
  // np.pad([1, 2, 3], 4, mode) for each mode.
  #expect(try padded(.reflect) == [1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3])
  #expect(try padded(.edge) == [1, 1, 1, 1, 1, 2, 3, 3, 3, 3, 3])
  #expect(try padded(.wrap) == [3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1])
  #expect(try padded(.constant) == [0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0])
}

@Test func constantPadCropsAndReadsItsValueAtRunTime() throws {
  let input = Tensor([Float(1), 2, 3, 4, 5, 6], shape: [2, 3])
  // Axis 0 gains a row in front; axis 1 loses its first column and gains one at the end.
  let output = try run(
    Pad(), [input, ints([1, -1, 0, 1]), Tensor(scalar: Float(-7))], constants: [1])[0]
  #expect(output.shape == [3, 3])
  #expect(output.elements(as: Float.self) == [-7, -7, -7, 2, 3, -7, 5, 6, -7])
  let axes = try run(Pad(mode: .edge), [input, ints([1, 0]), nil, ints([-1])], constants: [1, 3])
  #expect(axes[0].elements(as: Float.self) == [1, 1, 2, 3, 4, 4, 5, 6])
}

@Test func tileAndExpandRepeatElements() throws {
  let input = Tensor([Int64(1), 2, 3, 4], shape: [2, 2])
  let tiled = try run(Tile(), [input, ints([2, 3])], constants: [1])[0]
  #expect(tiled.shape == [4, 6])
  #expect(Array(tiled.elements(as: Int64.self).prefix(12)) == [1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4])
  let column = Tensor([Float(1), 2], shape: [2, 1])
  let expanded = try run(Expand(), [column, ints([2, 1, 3])], constants: [1])[0]
  #expect(expanded.shape == [2, 2, 3])
  #expect(expanded.elements(as: Float.self) == [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2])
}

// MARK: Constants too large to fold

@Test func constantOfShapeAndRangeRunWhenTooLargeToFold() throws {
  let filled = try run(
    ConstantOfShape(value: Tensor([Int32(7)], shape: [1])), [ints([1001, 1000])],
    constants: [0])[0]
  #expect(filled.count == 1_001_000)
  #expect(filled.elements(as: Int32.self).allSatisfy { $0 == 7 })
  let range = try run(
    RangeOp(),
    [Tensor(scalar: Int64(5)), Tensor(scalar: Int64(-2_000_000)), Tensor(scalar: Int64(-2))],
    constants: [0, 1, 2])[0]
  #expect(range.shape == [1_000_003])
  let values = range.elements(as: Int64.self)
  #expect(values.first == 5 && values[1] == 3 && values.last == 5 - 2 * 1_000_002)
}

@Test func constantKernelWritesItsValue() throws {
  let value = Tensor([Int64(3), -4], shape: [2])
  let context = KernelContext(
    nodeName: "c", inputShapes: [], inputTypes: [], constants: [], outputShapes: [[2]],
    outputTypes: [.int64])
  let kernel = try Constant(value: value).makeCPUKernel(context)
  let storage = UnsafeMutablePointer<Int64>.allocate(capacity: 2)
  defer { storage.deallocate() }
  let output = RuntimeTensor(dtype: .int64, shape: [2], data: UnsafeMutableRawPointer(storage))
  try kernel.run(inputs: [], outputs: [output], pool: ThreadPool(threads: 1))
  #expect(Array(UnsafeBufferPointer(start: storage, count: 2)) == [3, -4])
}

// MARK: Resize

@Test func resizeLinearHalfPixelUpsample() throws {
  let input = Tensor([Float(1), 2, 3, 4], shape: [1, 1, 2, 2])
  let scales = Tensor([Float(1), 1, 2, 2], shape: [4])
  let output = try run(Resize(mode: .linear), [input, nil, scales], constants: [2])[0]
  #expect(output.shape == [1, 1, 4, 4])
  // Coordinate (o + 0.5)/2 − 0.5 per axis: −0.25, 0.25, 0.75, 1.25, clamped at the edges.
  let expected: [Float] = [
    1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4,
  ]
  #expect(output.elements(as: Float.self) == expected)
}

@Test func resizeNearestCopiesAnyDtype() throws {
  let input = Tensor([Int64(10), 20, 30], shape: [1, 3])
  let sizes = ints([7])
  let resize = Resize(
    axes: [1], coordinateTransformationMode: .asymmetric, nearestMode: .floor)
  let output = try run(resize, [input, nil, nil, sizes], constants: [3])[0]
  // Floor of o · 3/7: 0, 0, 0, 1, 1, 2, 2.
  #expect(output.elements(as: Int64.self) == [10, 10, 10, 20, 20, 30, 30])
}

@Test func resizeCropAndResizeExtrapolates() throws {
  let input = Tensor([Float(0), 1, 2, 3], shape: [1, 4])
  let resize = Resize(
    axes: [1], coordinateTransformationMode: .tfCropAndResize, extrapolationValue: -1,
    mode: .linear)
  let roi = Tensor([Float(0.5), 1.5], shape: [2])
  let output = try run(resize, [input, roi, nil, ints([3])], constants: [1, 3])[0]
  // x = o · (1.5 − 0.5) · 3 / 2 + 0.5 · 3 = 1.5, 3, 4.5 (outside the input).
  #expect(output.elements(as: Float.self) == [1.5, 3, -1])
}

@Test func resizeAntialiasWidensTheLinearKernel() throws {
  let input = Tensor([Float(0), 1, 2, 3], shape: [1, 1, 1, 4])
  let scales = Tensor([Float(1), 1, 1, 0.5], shape: [4])
  let output = try run(
    Resize(antialias: true, mode: .linear), [input, nil, scales], constants: [2])[0]
  // Taps at x = 0.5 and 2.5 with weights 1/8, 3/8, 3/8, 1/8 over edge-clamped positions.
  #expect(output.elements(as: Float.self) == [0.625, 2.375])
}

@Test func resizeCubicIsBitIdenticalOnOneAndTwoThreads() throws {
  let values: [Float] = (0..<7680).map { Float(($0 * 7919) % 1000) / 100 }
  let input = Tensor(values, shape: [2, 8, 20, 24])
  let sizes = ints([2, 8, 45, 37])
  let resize = Resize(excludeOutside: true, mode: .cubic)
  let one = try run(resize, [input, nil, nil, sizes], constants: [3], threads: 1)[0]
  let two = try run(resize, [input, nil, nil, sizes], constants: [3], threads: 2)[0]
  #expect(one.shape == [2, 8, 45, 37])
  #expect(one.elements(as: Float.self) == two.elements(as: Float.self))
}
