import Testing

@testable import GraftIR

@Test func tensorRoundTripsElementsOfEveryType() {
  #expect(Tensor([Float(1.5), -2], shape: [2]).elements(as: Float.self) == [1.5, -2])
  #expect(Tensor([Float16(0.5)], shape: [1, 1]).doubles() == [0.5])
  #expect(Tensor([Int8(-3), 4], shape: [2]).integers() == [-3, 4])
  #expect(Tensor([UInt8(255)], shape: []).integers() == [255])
  #expect(Tensor([true, false], shape: [2]).integers() == [1, 0])
  #expect(Tensor([Int32(7)], shape: [1]).doubles() == [7])
  #expect(Tensor(scalar: Int64(9)).shape == [])
  #expect(Tensor([Double](), shape: [0, 3]).count == 0)
}

@Test func conversionsFollowCCasts() {
  let converted = Tensor.converting([2.7, -2.7, .nan, 1e30], to: .int64, shape: [4])
  #expect(converted.integers() == [2, -2, 0, Int64.max])
  #expect(Tensor.converting([0, 3] as [Double], to: .bool, shape: [2]).integers() == [0, 1])
  #expect(Tensor.converting([Int64(300)], to: .uint8, shape: [1]).integers() == [44])
}

@Test func buffersAreAlignedForVectorLoads() {
  let tensor = Tensor([Float](repeating: 1, count: 33), shape: [33])
  tensor.buffer.withUnsafeBytes { raw in
    #expect(Int(bitPattern: raw.baseAddress) % 64 == 0)
  }
}

@Test func broadcastingFollowsNumPy() throws {
  #expect(try ShapeRules.broadcast([[.symbol("N"), 3, 1], [4]]) == [.symbol("N"), 3, 4])
  #expect(try ShapeRules.broadcast([[1, .symbol("N")], [5, 1]]) == [5, .symbol("N")])
  #expect(throws: GraphError.self) { try ShapeRules.broadcast([[3], [4]]) }
}

@Test func windowOutputMatchesOnnxFormula() throws {
  // 32 input, kernel 3, stride 2, pads 1/1: floor((32+2-3)/2)+1 = 16.
  let plain = try ShapeRules.windowOutput(
    input: 32, kernel: 3, stride: 2, dilation: 1, padBegin: 1, padEnd: 1)
  #expect(plain == 16)
  // ceil_mode: 5 input, kernel 2, stride 2 → ceil(3/2)+1 = 3.
  let ceiled = try ShapeRules.windowOutput(
    input: 5, kernel: 2, stride: 2, dilation: 1, padBegin: 0, padEnd: 0, ceilMode: true)
  #expect(ceiled == 3)
  #expect(throws: GraphError.self) {
    try ShapeRules.windowOutput(input: 2, kernel: 5, stride: 1, dilation: 1, padBegin: 0, padEnd: 0)
  }
}
