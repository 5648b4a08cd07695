import GraftIR

/// `Embedding(input_dim, output_dim)`: row `i` of the table `embeddings [input_dim, output_dim]`
/// for each index `i` of the input, `[N, …] → [N, …, output_dim]` (ONNX Gather on axis 0).
///
/// Keras 3 models may feed float indices: they are cast to int64 first (truncating, as Keras's
/// cast to int does). `mask_zero=true` is refused: the mask it creates changes what later
/// mask-aware layers (pooling, recurrent layers) compute, which the IR does not model; so are
/// Keras 3's quantized and LoRA tables.
enum EmbeddingLayer: KerasLayerConverter {
  static let classNames = ["Embedding"]

  static func convert(_ call: inout KerasLayerCall) throws -> [KerasTensor] {
    let input = try call.singleInput()
    if try call.bool("mask_zero", default: false) {
      throw call.error("mask_zero=true is not supported (masks are not carried through the IR)")
    }
    for key in ["quantization_config", "lora_rank"]
    where call.config[key].map({ !$0.isNull }) ?? false {
      throw call.error("'\(key)' is set: quantized or LoRA embeddings are not supported")
    }
    let table = try call.weight(
      0, role: "embeddings", shape: [try call.int("input_dim"), try call.int("output_dim")])
    var indices = try call.builder.inKerasLayout(input)
    let dtype = call.builder.type(of: indices).dtype
    if dtype != .int32 && dtype != .int64 {
      indices = try call.node(Cast(to: .int64), [indices], suffix: "indices")
    }
    let output = try call.node(
      Gather(axis: 0), [call.constant(table, role: "embeddings"), indices])
    return [KerasTensor(value: output)]
  }
}
