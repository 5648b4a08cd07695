import Foundation
import GraftData
import GraftIR
import Testing

/// A folder holding two finished shard caches of 2 rows each, `shard1.h5` and `shard2.h5`.
private func shardCaches() throws -> String {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "graft-merge-cli-\(UUID().uuidString)"
  ).path
  try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  let provenance = FeatureCacheProvenance(
    modelSHA256: "ab12", layers: ["pool"], preprocessing: "{}", pool: "avg",
    graftVersion: "test")
  for shard in 1...2 {
    let writer = try FeatureCacheWriter(
      path: "\(folder)/shard\(shard).h5", provenance: provenance,
      layout: FeatureCacheLayout(
        featureShapes: ["pool": [3]], labelColumns: [LabelColumn(classes: ["cat", "dog"])],
        dataFingerprint: "d",
        shard: "\(shard)/2"),
      resume: false)
    let rows = [2 * shard - 2, 2 * shard - 1]
    try writer.append(
      features: [
        "pool": Tensor(rows.flatMap { Array(repeating: Float($0), count: 3) }, shape: [2, 3])
      ],
      ids: rows.map { "image_\($0).jpg" }, labels: [rows.map { Int64($0 % 2) }])
    try writer.finish()
  }
  return folder
}

/// `graft merge` joins the shards in the order given, says so on stderr and, with --json,
/// prints the summary on stdout.
@Test func mergeJoinsShards() throws {
  let folder = try shardCaches()
  let result = try GraftBinary.run([
    "merge", "\(folder)/shard1.h5", "\(folder)/shard2.h5", "-o", "\(folder)/all.h5", "--json",
  ])
  #expect(result.status == 0, "\(result.stderr)")
  #expect(result.stderr == "merged 2 caches: 4 rows, 0 skipped → \(folder)/all.h5\n")
  let summary = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
  #expect(summary?["rows"] as? Int == 4 && summary?["skipped"] as? Int == 0)
  #expect(summary?["output"] as? String == "\(folder)/all.h5")
  #expect(summary?["inputs"] as? [String] == ["\(folder)/shard1.h5", "\(folder)/shard2.h5"])
  let merged = try FeatureCache(contentsOf: "\(folder)/all.h5")
  #expect(try merged.ids(rows: 0..<4) == (0..<4).map { "image_\($0).jpg" })
  #expect(try merged.features("pool", rows: 3..<4).elements(as: Float.self) == [3, 3, 3])
}

/// A shard given twice is refused with one `error:` line naming the id and both files, exit
/// status 1, and no output.
@Test func mergeRefusesAShardGivenTwice() throws {
  let folder = try shardCaches()
  try FileManager.default.copyItem(
    atPath: "\(folder)/shard2.h5", toPath: "\(folder)/shard2-copy.h5")
  let result = try GraftBinary.run([
    "merge", "\(folder)/shard1.h5", "\(folder)/shard2.h5", "\(folder)/shard2-copy.h5",
    "-o", "\(folder)/all.h5",
  ])
  #expect(result.status == 1)
  #expect(
    result.stderr.hasPrefix(
      "error: id 'image_2.jpg' is in both '\(folder)/shard2.h5' and '\(folder)/shard2-copy.h5'"))
  #expect(result.stdout.isEmpty)
  #expect(!FileManager.default.fileExists(atPath: "\(folder)/all.h5"))
}
