extension Graph {
  /// Removes the Transposes a graph does not need, without changing any result.
  ///
  /// tf2onnx writes every NHWC Keras layer that ONNX only has in NCHW as
  /// `Transpose(0,3,1,2) → Conv → Transpose(0,2,3,1)`, and leaves the elementwise ops between
  /// such pairs in NHWC; PyTorch exports write `Transpose → Gemm`. For each Transpose
  /// `y = transpose(x, P)`, until nothing changes:
  /// - an identity `P` is dropped;
  /// - a Transpose of a constant becomes a constant (a transposed copy when the constant has
  ///   other readers);
  /// - a Gemm reading a rank-2 `y` as A or B reads `x` with `transA` or `transB` toggled, and a
  ///   MatMul of two matrices reading `y` beside a constant becomes such a Gemm;
  /// - the Transpose is sunk through the layout-agnostic nodes after it (see `sinking(from:)`):
  ///   they compute each value in `x`'s layout instead, so that the Transpose meets the Transposes
  ///   further on and composes with them (an inverse pair cancels). This is only done when it
  ///   removes more Transposes than it adds back for values read elsewhere, which is also how a
  ///   value read by several nodes is handled: a reader that cannot follow gets the value back
  ///   through one Transpose, counted as a cost.
  ///
  /// Graph outputs keep their names and layouts; views on moved values are updated. Each step
  /// removes a Transpose or a Transpose feeding a matrix product, so the loop ends.
  ///
  /// - Returns: the number of nodes removed (Identity nodes already in the graph included: the
  ///   bypassed Transposes are handed to `removeIdentities()`).
  @discardableResult
  public mutating func optimizeTransposes() throws -> Int {
    try inferTypes()
    let before = nodes.count
    var progress = true
    while progress {
      progress = false
      for output in nodes.filter({ $0.op is Transpose }).map({ $0.outputs[0] }) {
        guard let index = nodes.firstIndex(where: { $0.outputs.first == output }),
          nodes[index].op is Transpose, try simplifyTranspose(at: index)
        else { continue }
        progress = true
        try inferTypes()
      }
    }
    removeIdentities()
    let read = Set(nodes.flatMap(\.inputs)).union(outputs.map(\.name))
    constants = constants.filter { read.contains($0.key) }
    try inferTypes()
    return before - nodes.count
  }

  /// Applies the first rule of `optimizeTransposes` that fits the Transpose at `index`.
  private mutating func simplifyTranspose(at index: Int) throws -> Bool {
    let node = nodes[index]
    guard node.inputs.count == 1, node.outputs.count == 1, let perm = permutation(of: node) else {
      return false
    }
    if perm == Array(perm.indices) {
      nodes[index].op = Identity()
      return true
    }
    if let value = constants[node.inputs[0]], value.shape.count == perm.count {
      constants[node.outputs[0]] = value.permutingAxes(perm)
      types[node.outputs[0]] = nil
      nodes.remove(at: index)
      return true
    }
    var readers: [String: [Int]] = [:]
    for (reader, node) in nodes.enumerated() {
      for input in Set(node.inputs) where !input.isEmpty {
        readers[input, default: []].append(reader)
      }
    }
    if perm == [1, 0], foldIntoMatrixProducts(at: index, readers: readers[node.outputs[0]] ?? []) {
      return true
    }
    guard let plan = sinking(from: index, perm: perm, readers: readers) else { return false }
    apply(plan)
    return true
  }

  /// The Transpose's `perm` with the default reversal spelled out, when it is a valid permutation
  /// of a known rank.
  private func permutation(of node: Node) -> [Int]? {
    guard let transpose = node.op as? Transpose else { return nil }
    if let perm = transpose.perm { return perm.sorted() == Array(perm.indices) ? perm : nil }
    return type(of: node.inputs[0])?.rank.map { Array((0..<$0).reversed()) }
  }

  /// Rewrites the Gemm and MatMul readers of the matrix transpose at `index` to read its input,
  /// and removes the Transpose when nothing else reads it.
  private mutating func foldIntoMatrixProducts(at index: Int, readers: [Int]) -> Bool {
    let (source, transposed) = (nodes[index].inputs[0], nodes[index].outputs[0])
    var changed = false
    for reader in readers {
      var node = nodes[reader]
      if var gemm = node.op as? Gemm, node.inputs.count >= 2 {
        if node.inputs[0] == transposed { gemm.transA.toggle() }
        if node.inputs[1] == transposed { gemm.transB.toggle() }
        node.op = gemm
      } else if node.op is MatMul, node.inputs.count == 2, node.inputs[0] != node.inputs[1] {
        let slot = node.inputs[0] == transposed ? 0 : 1
        guard constants[node.inputs[1 - slot]]?.shape.count == 2 else { continue }
        node.op = Gemm(transA: slot == 0, transB: slot == 1)
      } else {
        continue
      }
      node.inputs = node.inputs.map { $0 == transposed ? source : $0 }
      nodes[reader] = node
      changed = true
    }
    let stillRead =
      nodes.contains { $0.inputs.contains(transposed) }
      || outputs.contains { $0.name == transposed }
    if changed && !stillRead { nodes.remove(at: index) }
    return changed
  }
}

/// What sinking one Transpose rewrites: a region of layout-agnostic nodes that compute, in place
/// of each value `v`, the value `v'` with `v = transpose(v', perm)`.
private struct TransposeSinking {
  let perm: [Int]
  /// Each region value → the value holding it in the moved layout: a Transpose's input for the
  /// absorbed Transposes' outputs, the same name for the members' outputs (renamed when the
  /// original value must stay, see `escapes`).
  var moved: [String: String] = [:]
  /// Transposes by `perm` whose outputs the region reads as their inputs.
  var seeds: Set<Int> = []
  /// The layout-agnostic nodes, rewritten to read and write the moved layout.
  var members: [Int: Node] = [:]
  /// Transposes reading a region value, with the perm they get when reading `v'` instead.
  var transposeReaders: [Int: [Int]] = [:]
  /// Constants the members read instead of the originals: permuted operands, pads, axes.
  var constants: [String: Tensor] = [:]
  /// The permuted copy made of each constant operand.
  var permutedCopies: [String: String] = [:]
  /// Region values that must stay in the original layout: graph outputs, values read by nodes
  /// outside the region or named by a flattened view.
  var escapes: Set<String> = []
  /// Names this rewrite takes.
  var reserved: Set<String> = []

  var rank: Int { perm.count }

  /// The inverse permutation, which takes a tensor in a region value's layout to the moved one.
  var inverse: [Int] {
    var inverse = perm
    for (axis, source) in perm.enumerated() { inverse[source] = axis }
    return inverse
  }

  func isPlaced(_ index: Int) -> Bool {
    seeds.contains(index) || members[index] != nil || transposeReaders[index] != nil
  }
}

/// How an input of a region member is read in the moved layout.
private enum MovedOperand {
  /// A region value: read its moved value.
  case moved(String)
  /// The output of a Transpose by the region's perm, which the region absorbs.
  case seed(Int)
  /// A constant, permuted to the moved layout.
  case constant(String, Tensor)
  /// A value whose dims are all 1 (a scalar), the same in every layout.
  case unchanged
}

extension Graph {
  /// The region reached by sinking the Transpose at `seed`, when rewriting it removes more
  /// Transposes than it adds.
  ///
  /// Starting from the Transpose's output, a reader joins the region when it is layout-agnostic
  /// (see `layoutAgnosticInputs`) and each of its data inputs is a region value, the output of
  /// another Transpose by the same perm (absorbed too), a constant of rank at most the region's
  /// (broadcast to that rank, then permuted) or a value whose dims are all 1. Readers are
  /// revisited as more of their inputs join, so both branches of a residual or a gating product
  /// join. Transposes reading region values compose with the perm. The cost: each absorbed
  /// Transpose no longer read elsewhere, and each composed Transpose that becomes the identity,
  /// is removed; each member output still needed in the original layout adds a Transpose back.
  private func sinking(from seed: Int, perm: [Int], readers: [String: [Int]]) -> TransposeSinking? {
    var plan = TransposeSinking(perm: perm)
    let producer = producers
    var pending: [String] = []
    func absorb(_ index: Int) {
      plan.seeds.insert(index)
      plan.moved[nodes[index].outputs[0]] = nodes[index].inputs[0]
      pending.append(nodes[index].outputs[0])
    }
    func resolve(_ value: String) -> MovedOperand? {
      if let name = plan.moved[value] { return .moved(name) }
      if let index = producer[value], nodes[index].inputs.count == 1,
        permutation(of: nodes[index]) == perm, plan.moved[nodes[index].inputs[0]] == nil,
        plan.transposeReaders[index] == nil
      {
        return .seed(index)
      }
      guard let shape = type(of: value)?.shape, shape.count <= perm.count else { return nil }
      if shape.allSatisfy({ $0 == .fixed(1) }) { return .unchanged }
      return constants[value].map { .constant(value, $0) }
    }
    absorb(seed)
    while let value = pending.popLast() {
      for reader in readers[value] ?? [] where !plan.isPlaced(reader) {
        let node = nodes[reader]
        if let inner = permutation(of: node), inner.count == perm.count {
          plan.transposeReaders[reader] = inner.map { perm[$0] }
          continue
        }
        guard let data = Self.layoutAgnosticInputs(of: node) else { continue }
        let slots = data.filter { !node.inputs[$0].isEmpty }
        let operands = slots.compactMap { resolve(node.inputs[$0]) }
        guard operands.count == slots.count, var member = movedNode(node, plan: &plan) else {
          continue
        }
        for (slot, operand) in zip(slots, operands) {
          switch operand {
          case .moved(let name): member.inputs[slot] = name
          case .seed(let index):
            absorb(index)
            member.inputs[slot] = nodes[index].inputs[0]
          case .constant(let name, let tensor):
            member.inputs[slot] = permutedConstant(name, tensor, plan: &plan)
          case .unchanged: break
          }
        }
        plan.members[reader] = member
        plan.moved[node.outputs[0]] = node.outputs[0]
        pending.append(node.outputs[0])
      }
    }
    // A Transpose absorbed before its input joined the region would read a renamed value.
    guard plan.seeds.allSatisfy({ plan.moved[nodes[$0].inputs[0]] == nil }) else { return nil }
    let graphOutputs = Set(outputs.map(\.name))
    let flattenedViews = Set(views.values.filter { $0.unflattened != nil }.map(\.value))
    for value in plan.moved.keys {
      let outside = (readers[value] ?? []).contains {
        plan.members[$0] == nil && plan.transposeReaders[$0] == nil
      }
      if outside || graphOutputs.contains(value) || flattenedViews.contains(value) {
        plan.escapes.insert(value)
      }
    }
    let removedSeeds = plan.seeds.filter { !plan.escapes.contains(nodes[$0].outputs[0]) }.count
    let cancelled = plan.transposeReaders.values.filter { $0 == Array($0.indices) }.count
    let added = plan.members.values.filter { plan.escapes.contains($0.outputs[0]) }.count
    return added < removedSeeds + cancelled ? plan : nil
  }

  /// The inputs that follow the layout in a layout-agnostic node, or nil for any other node.
  ///
  /// Elementwise ops (unary, binary and variadic with broadcasting, Where, PRelu, Cast, Identity)
  /// and Concat read every input that way; Clip, Pad, reductions and Softmax only their data
  /// input, the others being scalars or axis lists that `movedNode` rewrites.
  private static func layoutAgnosticInputs(of node: Node) -> [Int]? {
    guard node.outputs.count == 1, !node.inputs.isEmpty else { return nil }
    switch node.op {
    case is any UnaryElementwiseOperator, is any BinaryElementwiseOperator,
      is any VariadicElementwiseOperator, is Where, is PRelu, is Cast, is Identity, is Concat:
      return Array(node.inputs.indices)
    case is Clip, is Pad, is any ReductionOperator, is any SoftmaxFamilyOperator:
      return [0]
    default:
      return nil
    }
  }

  /// `node` with the attributes and constant inputs that name axes rewritten for the moved
  /// layout (axis `a` of a region value is axis `perm[a]` of its moved value), or nil when they
  /// are not constants, or the op changes the rank.
  private func movedNode(_ node: Node, plan: inout TransposeSinking) -> Node? {
    var moved = node
    switch node.op {
    case let softmax as any SoftmaxFamilyOperator:
      guard !softmax.coerceTo2D, let axis = try? ShapeRules.axis(softmax.axis, rank: plan.rank)
      else { return nil }
      moved.op = Swift.type(of: softmax).init(axis: plan.perm[axis], coerceTo2D: false)
    case let concat as Concat:
      guard let axis = try? ShapeRules.axis(concat.axis, rank: plan.rank) else { return nil }
      moved.op = Concat(axis: plan.perm[axis])
    case let reduction as any ReductionOperator:
      guard reduction.keepdims else { return nil }
      if node.inputs.count > 1, !node.inputs[1].isEmpty {
        guard let axes = movedAxes(node.inputs[1], plan: plan) else { return nil }
        moved.inputs[1] = addConstant(axes, named: "\(node.name)/axes", plan: &plan)
      }
    case is Pad:
      guard node.inputs.count > 1, let pads = constants[node.inputs[1]]?.integers() else {
        return nil
      }
      if node.inputs.count > 3, !node.inputs[3].isEmpty {
        guard let axes = movedAxes(node.inputs[3], plan: plan) else { return nil }
        moved.inputs[3] = addConstant(axes, named: "\(node.name)/axes", plan: &plan)
      } else {
        // Begins then ends, one per axis: moved axis j pads as region axis inverse[j] did.
        guard pads.count == 2 * plan.rank else { return nil }
        let inverse = plan.inverse
        let permuted = [0, plan.rank].flatMap { half in inverse.map { pads[half + $0] } }
        moved.inputs[1] = addConstant(
          Tensor(permuted, shape: [permuted.count]), named: "\(node.name)/pads", plan: &plan)
      }
    default:
      break
    }
    return moved
  }

  /// The constant axes list `name` mapped to the moved layout.
  private func movedAxes(_ name: String, plan: TransposeSinking) -> Tensor? {
    guard let values = constants[name]?.integers() else { return nil }
    var axes: [Int64] = []
    for value in values {
      guard let axis = try? ShapeRules.axis(Int(value), rank: plan.rank) else { return nil }
      axes.append(Int64(plan.perm[axis]))
    }
    return Tensor(axes, shape: [axes.count])
  }

  /// The name of constant `name` broadcast to the region's rank and permuted to the moved layout
  /// (one copy per region).
  private func permutedConstant(_ name: String, _ tensor: Tensor, plan: inout TransposeSinking)
    -> String
  {
    if let copy = plan.permutedCopies[name] { return copy }
    let full = tensor.reshaped(
      Array(repeating: 1, count: plan.rank - tensor.shape.count) + tensor.shape)
    let copy = addConstant(
      full.permutingAxes(plan.inverse), named: "\(name)/transposed", plan: &plan)
    plan.permutedCopies[name] = copy
    return copy
  }

  /// Adds `tensor` to the plan's constants under a free name built from `base`.
  private func addConstant(_ tensor: Tensor, named base: String, plan: inout TransposeSinking)
    -> String
  {
    let name = freshName(base, reserved: &plan.reserved)
    plan.constants[name] = tensor
    return name
  }

  /// `base`, or `base_2`, `base_3`, …: the first name no value uses and `reserved` lacks, which
  /// is then reserved.
  private func freshName(_ base: String, reserved: inout Set<String>) -> String {
    var name = base
    var suffix = 1
    while reserved.contains(name) || types[name] != nil || constants[name] != nil {
      suffix += 1
      name = "\(base)_\(suffix)"
    }
    reserved.insert(name)
    return name
  }

  /// Rewrites the graph as `plan` says: absorbed Transposes go unless still read elsewhere,
  /// members read and write the moved layout (an escaping output under a new name, with a
  /// Transpose back to the original name), Transposes reading region values read the moved
  /// values with composed perms (identities left for `removeIdentities`), and views on moved
  /// values permute from the moved layout.
  private mutating func apply(_ plan: TransposeSinking) {
    var plan = plan
    var renamed: [String: String] = [:]
    for member in plan.members.values where plan.escapes.contains(member.outputs[0]) {
      renamed[member.outputs[0]] = freshName(
        "\(member.outputs[0])/pre_transpose", reserved: &plan.reserved)
    }
    func final(_ value: String) -> String { renamed[value] ?? value }
    var rewritten: [Node] = []
    for (index, node) in nodes.enumerated() {
      if plan.seeds.contains(index) {
        if plan.escapes.contains(node.outputs[0]) { rewritten.append(node) }
      } else if var member = plan.members[index] {
        member.inputs = member.inputs.map(final)
        member.outputs = member.outputs.map(final)
        rewritten.append(member)
        if let name = renamed[node.outputs[0]] {
          rewritten.append(
            Node(
              name: "\(node.name)/transpose", op: Transpose(perm: plan.perm), inputs: [name],
              outputs: [node.outputs[0]]))
        }
      } else if let composed = plan.transposeReaders[index] {
        var reader = node
        reader.inputs = [final(plan.moved[node.inputs[0]]!)]
        reader.op = composed == Array(composed.indices) ? Identity() : Transpose(perm: composed)
        rewritten.append(reader)
      } else {
        rewritten.append(node)
      }
    }
    nodes = rewritten
    constants.merge(plan.constants) { _, new in new }
    for (name, view) in views where view.unflattened == nil && !plan.escapes.contains(view.value) {
      guard let moved = plan.moved[view.value] else { continue }
      views[name] = InterfaceView(
        value: final(moved), permutation: view.permutation.map { plan.perm[$0] })
    }
  }
}
