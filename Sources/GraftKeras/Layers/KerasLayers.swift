/// Every Keras layer converter; the assembler finds them by class name.
public enum KerasLayers {
  public static var all: [any KerasLayerConverter.Type] {
    [
      DenseLayer.self,
      CustomScaleLayer.self,
      ConvolutionLayer.self,
      ConvolutionTransposeLayer.self,
      DepthwiseConvolutionLayer.self,
      SeparableConvolutionLayer.self,
      PoolingLayer.self,
      GlobalPoolingLayer.self,
      PaddingLayer.self,
      UpSamplingLayer.self,
      BatchNormalizationLayer.self, LayerNormalizationLayer.self,
      ActivationLayer.self, ReLULayer.self, LeakyReLULayer.self, PReLULayer.self, ELULayer.self,
      SoftmaxLayer.self,
      FlattenLayer.self, ReshapeLayer.self, PermuteLayer.self, InferenceIdentityLayers.self,
      ElementwiseMergeLayers.self, ConcatenateLayer.self, TFOpLambdaLayer.self,
      RescalingLayer.self, NormalizationLayer.self, EmbeddingLayer.self, TimeDistributedLayer.self,
    ]
  }
}
