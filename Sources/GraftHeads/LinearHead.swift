/// A fitted classifier in the form it is exported: standardisation, dense layers with ReLU
/// between them, and class probabilities as `softmax(temperature · logits)`.
///
/// `layers[i].weights` is row-major `[outputs][inputs]` (ONNX Gemm's B with `transB = 1`);
/// the last layer has one output per class. A linear head has one layer, an MLP two or three.
public struct FittedHead: Sendable {
  public struct Dense: Sendable, Equatable {
    public var weights: [Float]
    public var bias: [Float]
    public var inputs: Int
    public var outputs: Int

    public init(weights: [Float], bias: [Float], inputs: Int, outputs: Int) {
      precondition(weights.count == inputs * outputs && bias.count == outputs)
      self.weights = weights
      self.bias = bias
      self.inputs = inputs
      self.outputs = outputs
    }
  }

  /// Subtracted from each input feature before the first layer.
  public var mean: [Float]
  /// Each input feature is divided by this (1 where a feature is constant).
  public var scale: [Float]
  public var layers: [Dense]
  /// Multiplies the last layer's outputs before the softmax (1 for logistic regression and the
  /// MLP; fitted on held-out folds for the SVM and ridge, whose scores are not probabilities).
  public var temperature: Float

  public init(mean: [Float], scale: [Float], layers: [Dense], temperature: Float = 1) {
    precondition(!layers.isEmpty && mean.count == layers[0].inputs && scale.count == mean.count)
    self.mean = mean
    self.scale = scale
    self.layers = layers
    self.temperature = temperature
  }

  public var inputCount: Int { layers[0].inputs }
  public var classCount: Int { layers[layers.count - 1].outputs }
}
