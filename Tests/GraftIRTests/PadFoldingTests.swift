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
  #expect(try graph.foldPadsIntoConvolutions() == 1)
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
    #expect(try graph.foldPadsIntoConvolutions() == 0)
  }
}
