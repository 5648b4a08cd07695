/// Every Keras layer converter; the assembler finds them by class name.
public enum KerasLayers {
  public static let all: [any KerasLayerConverter.Type] = [
    DenseLayer.self,
    ConvolutionLayer.self,
    ConvolutionTransposeLayer.self,
    DepthwiseConvolutionLayer.self,
    SeparableConvolutionLayer.self,
    PoolingLayer.self,
    GlobalPoolingLayer.self,
    PaddingLayer.self,
    UpSamplingLayer.self,
  ]
}
