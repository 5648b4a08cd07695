internal import CGraftKernels
import GraftIR

/// An elementwise activation applied by the kernel that produces its input, while the values are
/// still in cache, instead of by a separate pass over memory.
///
/// Each case computes exactly what the standalone kernel of the op it replaces computes, so a
/// fused graph gives bit-identical results to the unfused one.
enum FusedActivation: Hashable, Sendable {
  /// `y = x > 0 ? x : 0` (Relu).
  case relu
  /// `y = min(max(x, lower), upper)` (Clip with constant bounds; ReLU6 is `clip(0, 6)`).
  case clip(lower: Float, upper: Float)

  /// The activation computed by `node` when it is a float32 Relu, or a float32 Clip whose bounds
  /// are absent or constant in `constants`; nil otherwise.
  init?(_ node: Node, constants: [String: Tensor]) {
    switch node.op {
    case is Relu:
      self = .relu
    case is Clip:
      func bound(_ index: Int, default value: Float) -> Float? {
        guard index < node.inputs.count, !node.inputs[index].isEmpty else { return value }
        guard let tensor = constants[node.inputs[index]], tensor.dtype == .float32,
          tensor.count == 1
        else { return nil }
        return tensor.elements(as: Float.self)[0]
      }
      guard let lower = bound(1, default: -.infinity), let upper = bound(2, default: .infinity)
      else { return nil }
      self = .clip(lower: lower, upper: upper)
    default:
      return nil
    }
  }
}

extension Optional where Wrapped == FusedActivation {
  /// `target[i] = activation(source[i] + bias)` for `i` in `0..<count`, or `source[i] + bias`
  /// without an activation; `source` may be `target`.
  func apply(
    _ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, count: Int,
    bias: Float
  ) {
    let (kind, lower, upper) = kernelArguments
    graft_add_bias_activate(source, target, bias, kind, lower, upper, count)
  }

  /// The activation as CGraftKernels' kernels take it: its kind and Clip's bounds.
  var kernelArguments: (graft_activation, lower: Float, upper: Float) {
    switch self {
    case .none: (GRAFT_ACTIVATION_NONE, 0, 0)
    case .relu: (GRAFT_ACTIVATION_RELU, 0, 0)
    case .clip(let lower, let upper): (GRAFT_ACTIVATION_CLIP, lower, upper)
    }
  }
}
