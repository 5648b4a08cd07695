import Foundation
import Testing

/// `graft bench --json` reports the documented keys with sane values.
@Test func benchReportsThroughputLatencyAndMemory() throws {
  let result = try GraftBinary.run([
    "bench", "fixtures/onnx/torch_style_mlp_chain/model.onnx", "--batch", "4", "--runs", "3",
    "--warmup", "1", "--threads", "1", "--json",
  ])
  #expect(result.status == 0, "\(result.stderr)")
  let report = try #require(
    try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
  #expect(report["batch"] as? Int == 4)
  #expect(report["threads"] as? Int == 1)
  #expect((report["images_per_second"] as? Double ?? 0) > 0)
  let latency = try #require(report["latency_ms"] as? [String: Double])
  #expect(latency["min"]! <= latency["median"]! && latency["median"]! <= latency["max"]!)
  #expect((report["peak_rss_bytes"] as? Int ?? 0) > 1_000_000)
}

/// A Keras weights-only file is benchmarked with its architecture from --config.
@Test func benchTakesConfigForWeightsOnlyFiles() throws {
  let folder = "fixtures/keras/weights_only/k2"
  let result = try GraftBinary.run([
    "bench", "\(folder)/weights.h5", "--config", "\(folder)/arch.json", "--batch", "2", "--runs",
    "1", "--warmup", "0", "--json",
  ])
  #expect(result.status == 0, "\(result.stderr)")
  let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
  #expect(report?["batch"] as? Int == 2)
}
