import Foundation
import GraftIR
import GraftRuntime

/// A fully connected ReLU network with a softmax output, and the buffers of one minibatch's
/// forward and backward pass.
///
/// Layout: `parameters` holds each layer's weights row-major `[outputs][inputs]` (as
/// `FittedHead.Dense`) then its biases `[outputs]`, layer after layer; `gradients` has the same
/// layout. `activations[l]` is `[rows][sizes[l]]`: the gathered input rows for l = 0, the ReLU
/// outputs of the hidden layers, and the class probabilities for the last layer;
/// `deltas[l]` (l ≥ 1) is the loss's gradient with respect to layer l's pre-activations.
final class MLPNetwork {
  /// Inputs, hidden sizes, classes.
  let sizes: [Int]
  /// The most rows one pass holds.
  let capacity: Int
  /// Splits the matrix products (see `MLPBlockedProduct`).
  let pool: ThreadPool
  let parameters: SharedBuffer<Float>
  let gradients: SharedBuffer<Float>
  private let offsets: [Int]
  private let activations: [SharedBuffer<Float>]
  private let deltas: [SharedBuffer<Float>]

  /// A network with scikit-learn's initialisation for ReLU networks: every weight and bias of a
  /// layer drawn uniformly from `±sqrt(6 / (inputs + outputs))` (Glorot uniform).
  init(sizes: [Int], capacity: Int, threads: Int, rng: inout SplitMix64) {
    self.sizes = sizes
    self.capacity = capacity
    pool = ThreadPool(threads: max(threads, 1))
    var offsets = [0]
    for layer in 1..<sizes.count {
      offsets.append(offsets[layer - 1] + (sizes[layer - 1] + 1) * sizes[layer])
    }
    self.offsets = offsets
    parameters = SharedBuffer<Float>(repeating: 0, count: offsets[offsets.count - 1])
    gradients = SharedBuffer<Float>(repeating: 0, count: parameters.count)
    activations = sizes.map { SharedBuffer<Float>(repeating: 0, count: capacity * $0) }
    deltas = sizes.indices.map {
      SharedBuffer<Float>(repeating: 0, count: $0 == 0 ? 0 : capacity * sizes[$0])
    }
    for layer in 1..<sizes.count {
      let bound = (6 / Double(sizes[layer - 1] + sizes[layer])).squareRoot()
      for index in offsets[layer - 1]..<offsets[layer] {
        parameters.base[index] = Float(bound * (2 * SeededRandom.unit(&rng) - 1))
      }
    }
  }

  var layerCount: Int { sizes.count - 1 }

  /// The fitted layers, copied out of `parameters`.
  var layers: [FittedHead.Dense] {
    (1...layerCount).map { layer in
      let (inputs, outputs) = (sizes[layer - 1], sizes[layer])
      let weights = weightPointer(layer)
      return FittedHead.Dense(
        weights: Array(UnsafeBufferPointer(start: weights, count: inputs * outputs)),
        bias: Array(UnsafeBufferPointer(start: weights + inputs * outputs, count: outputs)),
        inputs: inputs, outputs: outputs)
    }
  }

  /// Copies the features of `rows` (indices into `data`) into the input buffer.
  func load(_ data: TrainingSet, rows: ArraySlice<Int>) {
    precondition(rows.count <= capacity && data.columns == sizes[0])
    let input = activations[0].base
    data.features.withUnsafeBufferPointer { features in
      for (position, row) in rows.enumerated() {
        (input + position * data.columns).update(
          from: features.baseAddress! + row * data.columns, count: data.columns)
      }
    }
  }

  /// Runs the loaded `rows` through the network, leaving class probabilities in the last layer.
  ///
  /// Returns each row's cross-entropy, taken from the logits z before they are overwritten:
  /// `log Σ_j exp(z_j − max z) − (z_label − max z)`.
  private func forward(rows: Int, labels: [Int32]) -> [Double] {
    for layer in 1...layerCount {
      let (inputs, outputs) = (sizes[layer - 1], sizes[layer])
      let output = activations[layer].base
      let weights = weightPointer(layer)
      MLPBlockedProduct.multiply(
        m: rows, n: outputs, k: inputs, a: activations[layer - 1].base, b: weights,
        transposeB: true, c: output, pool: pool)
      let bias = weights + inputs * outputs
      let hidden = layer < layerCount
      for row in 0..<rows {
        let values = output + row * outputs
        for unit in 0..<outputs {
          let value = values[unit] + bias[unit]
          values[unit] = hidden ? max(value, 0) : value
        }
      }
    }
    return softmax(rows: rows, labels: labels)
  }

  /// Replaces the logits by probabilities; returns each row's cross-entropy.
  private func softmax(rows: Int, labels: [Int32]) -> [Double] {
    let classes = sizes[layerCount]
    var losses: [Double] = []
    for row in 0..<rows {
      let values = activations[layerCount].base + row * classes
      var largest = values[0]
      for unit in 1..<classes { largest = max(largest, values[unit]) }
      var sum: Float = 0
      var labelLogit: Float = 0
      for unit in 0..<classes {
        let shifted = values[unit] - largest
        if unit == Int(labels[row]) { labelLogit = shifted }
        values[unit] = exp(shifted)
        sum += values[unit]
      }
      losses.append(Double(log(sum)) - Double(labelLogit))
      for unit in 0..<classes { values[unit] /= sum }
    }
    return losses
  }

  /// Fills `gradients` with the gradient of the minibatch loss and returns that loss.
  ///
  /// The loss is scikit-learn's MLPClassifier loss with row weights:
  /// `(Σ_i w_i · crossEntropy_i + alpha/2 · Σ ‖W‖²) / rows`, biases unpenalised.
  /// Backpropagation: `δ_L = w ⊙ (P − Y) / rows`; for each layer `∇W_l = δ_lᵀ · A_{l−1} +
  /// (alpha / rows) · W_l`, `∇b_l = Σ_rows δ_l`, and `δ_{l−1} = (δ_l · W_l) ⊙ [A_{l−1} > 0]`.
  func lossAndGradients(
    rows: Int, labels: [Int32], rowWeights: [Float], alpha: Double
  ) -> Double {
    let losses = forward(rows: rows, labels: labels)
    let classes = sizes[layerCount]
    let scale = 1 / Float(rows)
    var loss = 0.0
    for row in 0..<rows {
      loss += Double(rowWeights[row]) * losses[row]
      let probabilities = activations[layerCount].base + row * classes
      let delta = deltas[layerCount].base + row * classes
      let factor = rowWeights[row] * scale
      for unit in 0..<classes {
        let target: Float = unit == Int(labels[row]) ? 1 : 0
        delta[unit] = factor * (probabilities[unit] - target)
      }
    }
    var squaredWeights = 0.0
    for layer in stride(from: layerCount, through: 1, by: -1) {
      squaredWeights += backward(layer: layer, rows: rows, alpha: alpha)
    }
    return (loss + alpha / 2 * squaredWeights) / Double(rows)
  }

  /// Layer `layer`'s gradients, and `δ` of the layer below it; returns `‖W_layer‖²`.
  private func backward(layer: Int, rows: Int, alpha: Double) -> Double {
    let (inputs, outputs) = (sizes[layer - 1], sizes[layer])
    let weights = weightPointer(layer)
    let weightGradient = gradients.base + offsets[layer - 1]
    let delta = deltas[layer].base
    let below = activations[layer - 1].base
    MLPBlockedProduct.multiply(
      m: outputs, n: inputs, k: rows, a: delta, transposeA: true, b: below, c: weightGradient,
      pool: pool)
    let decay = Float(alpha) / Float(rows)
    var squared = 0.0
    for index in 0..<(inputs * outputs) {
      weightGradient[index] += decay * weights[index]
      squared += Double(weights[index] * weights[index])
    }
    let biasGradient = weightGradient + inputs * outputs
    for unit in 0..<outputs { biasGradient[unit] = 0 }
    for row in 0..<rows {
      for unit in 0..<outputs { biasGradient[unit] += delta[row * outputs + unit] }
    }
    guard layer > 1 else { return squared }
    let deltaBelow = deltas[layer - 1].base
    MLPBlockedProduct.multiply(
      m: rows, n: inputs, k: outputs, a: delta, b: weights, c: deltaBelow, pool: pool)
    for index in 0..<(rows * inputs) where below[index] <= 0 { deltaBelow[index] = 0 }
    return squared
  }

  private func weightPointer(_ layer: Int) -> UnsafeMutablePointer<Float> {
    parameters.base + offsets[layer - 1]
  }
}
