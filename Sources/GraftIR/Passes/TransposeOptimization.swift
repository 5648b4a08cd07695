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
  /// - a Transpose that only moves unit dims is folded into the Reshapes next to it;
  /// - the Transpose is sunk through the layout-agnostic nodes after it (see `sinking`):
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
    let readBefore = Set(nodes.flatMap(\.inputs))
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
    // Drop the constants this pass stopped reading (folded or replaced by permuted copies).
    let read = Set(nodes.flatMap(\.inputs)).union(outputs.map(\.name))
    constants = constants.filter { read.contains($0.key) || !readBefore.contains($0.key) }
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
    let read = readers[node.outputs[0]] ?? []
    if perm == [1, 0], foldIntoMatrixProducts(at: index, readers: read) { return true }
    if foldIntoReshapes(at: index, perm: perm, readers: read) { return true }
    guard let plan = sinking(from: index, perm: perm, readers: readers) else {
      return replaceByReshape(at: index, perm: perm)
    }
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
      let slots = (0..<min(2, node.inputs.count)).filter { node.inputs[$0] == transposed }
      guard !slots.isEmpty else { continue }
      if var gemm = node.op as? Gemm {
        if slots.contains(0) { gemm.transA.toggle() }
        if slots.contains(1) { gemm.transB.toggle() }
        node.op = gemm
      } else if node.op is MatMul, node.inputs.count == 2, slots.count == 1,
        constants[node.inputs[1 - slots[0]]]?.shape.count == 2
      {
        node.op = Gemm(transA: slots[0] == 0, transB: slots[0] == 1)
      } else {
        continue
      }
      // A Gemm's C, if it reads the Transpose too, keeps reading it.
      for slot in slots { node.inputs[slot] = source }
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

extension Graph {
  /// Removes the Transpose at `index` when it keeps the elements' row-major order (it only moves
  /// dims of size 1, as in `[N, 10, 1, 1] → [N, 1, 1, 10]` around a classifier's or a
  /// squeeze-and-excitation block's Reshape) and a Reshape is next to it: either only Reshapes
  /// with constant targets read it (they read its input instead; a `0` in a target copies the
  /// dim at its index, so it must be the same dim in both layouts), or its input is a Reshape's
  /// output read by it alone (that Reshape then writes the Transpose's output directly).
  private mutating func foldIntoReshapes(at index: Int, perm: [Int], readers: [Int]) -> Bool {
    let (source, transposed) = (nodes[index].inputs[0], nodes[index].outputs[0])
    guard let before = type(of: source)?.shape, let after = type(of: transposed)?.shape,
      before.count == perm.count, after.count == perm.count
    else { return false }
    let moving = perm.filter { before[$0] != .fixed(1) }
    guard moving == moving.sorted() else { return false }
    let graphOutputs = Set(outputs.map(\.name))
    let flattenedViews = Set(views.values.filter { $0.unflattened != nil }.map(\.value))
    if !readers.isEmpty, !graphOutputs.contains(transposed), !flattenedViews.contains(transposed),
      readers.allSatisfy({ readsAsReshape(nodes[$0], transposed, from: before, to: after) })
    {
      for reader in readers { nodes[reader].inputs[0] = source }
      retargetViews(on: transposed, to: source, perm: perm)
      nodes.remove(at: index)
      return true
    }
    guard let producer = producers[source], let reshape = nodes[producer].op as? Reshape,
      useCounts[source] == 1, !graphOutputs.contains(source), !flattenedViews.contains(source),
      let data = type(of: nodes[producer].inputs[0])?.shape
    else { return false }
    // The new target: fixed dims as they are, a dim the data has at the same index as 0 (copy),
    // one other as -1.
    let target: [Int64] = after.enumerated().map { axis, dim in
      if let size = dim.value { return Int64(size) }
      let copied = !reshape.allowzero && axis < data.count && data[axis] == dim && dim != .unknown
      return copied ? 0 : -1
    }
    guard target.filter({ $0 == -1 }).count <= 1 else { return false }
    let name = uniqueConstantName("\(nodes[producer].name)/shape")
    constants[name] = Tensor(target, shape: [target.count])
    nodes[producer].inputs[1] = name
    nodes[producer].outputs[0] = transposed
    var inverse = perm
    for (axis, source) in perm.enumerated() { inverse[source] = axis }
    retargetViews(on: source, to: transposed, perm: inverse)
    nodes.remove(at: index)
    return true
  }

  /// Turns the Transpose at `index` into a Reshape when it only moves dims of size 1 and its
  /// output shape can be spelled as a Reshape target: fixed dims as they are, a dim the input has
  /// at the same index as 0 (copy), at most one other as -1. A Reshape moves no data; the
  /// Transpose copied every element (`[N, 1, 1, C] ↔ [N, C, 1, 1]` at a cut or before a Flatten).
  private mutating func replaceByReshape(at index: Int, perm: [Int]) -> Bool {
    let (source, transposed) = (nodes[index].inputs[0], nodes[index].outputs[0])
    guard let before = type(of: source)?.shape, let after = type(of: transposed)?.shape,
      before.count == perm.count, after.count == perm.count,
      !views.values.contains(where: { $0.unflattened != nil && $0.value == transposed })
    else { return false }
    let moving = perm.filter { before[$0] != .fixed(1) }
    guard moving == moving.sorted() else { return false }
    return rewriteAsReshape(at: index, reading: source, from: before, to: after)
  }

  /// Whether `node` is a Reshape of `value` by a constant target that means the same for an input
  /// of shape `before` as for `after`.
  private func readsAsReshape(_ node: Node, _ value: String, from before: [Dim], to after: [Dim])
    -> Bool
  {
    guard let reshape = node.op as? Reshape, node.inputs.count == 2, node.inputs[0] == value,
      node.inputs[1] != value, let target = constants[node.inputs[1]]?.integers()
    else { return false }
    let copied = reshape.allowzero ? [] : target.indices.filter { target[$0] == 0 }
    return copied.allSatisfy {
      $0 < before.count && before[$0] == after[$0] && before[$0] != .unknown
    }
  }

  /// Points the views on `value`, which equals `transpose(replacement, perm)`, at `replacement`
  /// (flattened views, which cannot follow, are left alone).
  private mutating func retargetViews(on value: String, to replacement: String, perm: [Int]) {
    for (name, view) in views where view.value == value && view.unflattened == nil {
      views[name] = InterfaceView(
        value: replacement, permutation: view.permutation.map { perm[$0] })
    }
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
    for (value, moved) in plan.moved where !plan.escapes.contains(value) {
      retargetViews(on: value, to: final(moved), perm: plan.perm)
    }
  }
}
