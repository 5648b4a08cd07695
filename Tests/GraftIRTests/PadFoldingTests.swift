import Testing

@testable import GraftIR

/// A zero Pad of H and W before a strided Conv becomes the Conv's own asymmetric pads.
@Test func zeroSpatialPadFoldsIntoTheConv() throws {
  var graph = Graph(
    inputs: [ValueInfo(name: "x", type: ValueType(.float32, [.symbol("N"), 1, 5, 5]))],
    outputs: [ValueInfo(name: "y", type: .unknown)],
    nodes: [
      Node(name: "pad", op: Pad(), inputs: ["x", "p"], outputs: ["xp"]),
      Node(
        name: "conv", op: Conv(pads: [1, 0, 0, 0], strides: [2, 2]), inputs: ["xp", "w"],
        outputs: ["y"]),
    ],
    constants: [
      "p": Tensor([Int64(0), 0, 0, 1, 0, 0, 1, 1], shape: [8]),
      "w": Tensor([Float](repeating: 1, count: 9), shape: [1, 1, 3, 3]),
    ])
  try graph.inferTypes()
  let before = graph.type(of: "y")
  #expect(try graph.foldPadsIntoSlidingWindows() == 1)
  try graph.verify()
  #expect(graph.nodes.map(\.opType) == ["Conv"])
  #expect((graph.nodes[0].op as? Conv)?.pads == [1, 1, 1, 1])
  #expect(graph.nodes[0].inputs[0] == "x")
  #expect(graph.type(of: "y") == before)
}

/// Padding the channel axis, a non-zero value or a reflect mode is not a Conv pad.
@Test func otherPadsStay() throws {
  for (pads, mode) in [
    ([Int64(0), 1, 0, 0, 0, 0, 0, 0], Pad.Mode.constant), ([0, 0, 1, 1, 0, 0, 1, 1], .reflect),
  ] {
    var graph = Graph(
      inputs: [ValueInfo(name: "x", type: ValueType(.float32, [1, 1, 5, 5]))],
      outputs: [ValueInfo(name: "y", type: .unknown)],
      nodes: [
        Node(name: "pad", op: Pad(mode: mode), inputs: ["x", "p"], outputs: ["xp"]),
        Node(name: "conv", op: Conv(), inputs: ["xp", "w"], outputs: ["y"]),
      ],
      constants: [
        "p": Tensor(pads, shape: [8]),
        "w": Tensor(
          [Float](repeating: 1, count: pads[1] == 1 ? 18 : 9), shape: [1, 1 + Int(pads[1]), 3, 3]),
      ])
    try graph.inferTypes()
    #expect(try graph.foldPadsIntoSlidingWindows() == 0)
  }
}

/// A graph `x → [Relu] → Pad(1 on H and W) → pool`, typed.
private func padThenPool(_ pool: any Operator, afterRelu: Bool) throws -> Graph {
  var nodes = [Node(name: "pad", op: Pad(), inputs: [afterRelu ? "r" : "x", "p"], outputs: ["xp"])]
  if afterRelu {
    nodes.insert(Node(name: "relu", op: Relu(), inputs: ["x"], outputs: ["r"]), at: 0)
  }
  nodes.append(Node(name: "pool", op: pool, inputs: ["xp"], outputs: ["y"]))
  var graph = Graph(
    inputs: [ValueInfo(name: "x", type: ValueType(.float32, [.symbol("N"), 2, 6, 6]))],
    outputs: [ValueInfo(name: "y", type: .unknown)], nodes: nodes,
    constants: ["p": Tensor([Int64(0), 0, 1, 1, 0, 0, 1, 1], shape: [8])])
  try graph.inferTypes()
  return graph
}

/// After a Relu, zero padding is MaxPool's own: the Pad folds into its pads.
@Test func zeroPadAfterReluFoldsIntoMaxPool() throws {
  var graph = try padThenPool(MaxPool(kernelShape: [3, 3], strides: [2, 2]), afterRelu: true)
  let before = graph.type(of: "y")
  #expect(try graph.foldPadsIntoSlidingWindows() == 1)
  try graph.verify()
  #expect(graph.nodes.map(\.opType) == ["Relu", "MaxPool"])
  #expect((graph.nodes[1].op as? MaxPool)?.pads == [1, 1, 1, 1])
  #expect(graph.type(of: "y") == before)
}

/// Without a known sign, or with ceil_mode (a window may hold only padding), MaxPool keeps its Pad.
@Test func maxPoolKeepsPadsItCannotTake() throws {
  for (pool, afterRelu) in [
    (MaxPool(kernelShape: [3, 3], strides: [2, 2]), false),
    (MaxPool(kernelShape: [3, 3], ceilMode: true, strides: [2, 2]), true),
    (MaxPool(kernelShape: [1, 1]), true),
  ] {
    var graph = try padThenPool(pool, afterRelu: afterRelu)
    #expect(try graph.foldPadsIntoSlidingWindows() == 0, "\(pool)")
  }
}

/// Zero padding counts in an AveragePool's average once folded: count_include_pad is set. A pool
/// that leaves its own padding out of the average keeps the Pad.
@Test func zeroPadFoldsIntoAveragePoolCountingIt() throws {
  var graph = try padThenPool(AveragePool(kernelShape: [3, 3]), afterRelu: false)
  #expect(try graph.foldPadsIntoSlidingWindows() == 1)
  let pool = try #require(graph.nodes.first?.op as? AveragePool)
  #expect(pool.pads == [1, 1, 1, 1] && pool.countIncludePad)
  var excluding = try padThenPool(
    AveragePool(kernelShape: [3, 3], pads: [1, 0, 1, 0]), afterRelu: false)
  #expect(try excluding.foldPadsIntoSlidingWindows() == 0)
}
