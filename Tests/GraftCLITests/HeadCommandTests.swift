import Foundation
import Testing

private let model = "fixtures/extract/model.onnx"
private let images = "fixtures/extract/images"

private func temporaryFolder() throws -> URL {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "graft-heads-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  return folder
}

/// Features of the fixture images at `block2`, pooled as asked, in `folder/name`.
private func cache(_ folder: URL, _ name: String, data: String = images, pool: String = "avg")
  throws -> String
{
  let path = folder.appendingPathComponent(name).path
  let result = try GraftBinary.run([
    "extract", model, data, "--layer", "block2", "--preset", "torch", "--pool", pool, "-o", path,
    "--quiet",
  ])
  #expect(result.status == 0, "\(result.stderr)")
  return path
}

private func json(_ text: String) -> [String: Any] {
  (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
}

/// train-head → evaluate → attach → predict from the command line, with the documented JSON.
@Test func trainEvaluateAttachPredict() throws {
  let folder = try temporaryFolder()
  let features = try cache(folder, "feats.h5")
  let head = folder.appendingPathComponent("head.onnx").path
  let trained = try GraftBinary.run([
    "train-head", features, "--head", "logistic", "--cv", "2", "--C", "0.1,1,10",
    "--val", features, "-o", head, "--json",
  ])
  #expect(trained.status == 0, "\(trained.stderr)")
  let summary = json(trained.stdout)
  for key in ["head", "C", "cv_scores", "train_accuracy", "val_accuracy", "converged", "seconds"] {
    #expect(summary[key] != nil, "train-head --json lacks '\(key)'")
  }
  #expect((summary["cv_scores"] as? [Double])?.count == 3)

  let evaluated = try GraftBinary.run([
    "evaluate", head, features, "--json", "--plot", folder.appendingPathComponent("c.svg").path,
  ])
  #expect(evaluated.status == 0, "\(evaluated.stderr)")
  let metrics = json(evaluated.stdout)
  for key in ["accuracy", "macro_f1", "per_class", "confusion"] {
    #expect(metrics[key] != nil, "evaluate --json lacks '\(key)'")
  }
  #expect((metrics["confusion"] as? [[Int]])?.flatMap { $0 }.reduce(0, +) == 8)
  let svg = try String(contentsOfFile: folder.appendingPathComponent("c.svg").path, encoding: .utf8)
  #expect(svg.hasPrefix("<svg") || svg.hasPrefix("<?xml"))

  let attached = folder.appendingPathComponent("attached.onnx").path
  let attach = try GraftBinary.run(["attach", model, head, "-o", attached])
  #expect(attach.status == 0, "\(attach.stderr)")
  let predictions = folder.appendingPathComponent("predictions.csv").path
  let predicted = try GraftBinary.run(["predict", attached, images, "-o", predictions, "--quiet"])
  #expect(predicted.status == 0, "\(predicted.stderr)")
  let lines = try String(contentsOfFile: predictions, encoding: .utf8).split(separator: "\n")
  #expect(lines.first == "id,label,cat,dog,fish,error" && lines.count == 9)
}

/// Unlabelled features, features of another width, and training sets with one class or no row
/// each give one clear error.
@Test func badTrainingDataGivesClearErrors() throws {
  let folder = try temporaryFolder()
  func expectError(_ arguments: [String], _ message: String) throws {
    let result = try GraftBinary.run(arguments)
    #expect(result.status == 1)
    #expect(result.stderr.contains(message), "\(result.stderr)")
  }
  let head = folder.appendingPathComponent("head.onnx").path
  let unlabelled = try cache(folder, "arrays.h5", data: "fixtures/extract/arrays.npy")
  try expectError(["train-head", unlabelled, "-o", head], "has no labels")

  let features = try cache(folder, "feats.h5")
  let trained = try GraftBinary.run(["train-head", features, "--cv", "2", "-o", head])
  #expect(trained.status == 0, "\(trained.stderr)")
  let maps = try cache(folder, "maps.h5", pool: "none")
  try expectError(["evaluate", head, maps], "takes 16 features per row, but layer 'block2' gives")

  let oneClass = folder.appendingPathComponent("one/cat")
  try FileManager.default.createDirectory(at: oneClass, withIntermediateDirectories: true)
  for name in ["grey.png", "large.jpg", "rotated.jpg"] {
    try FileManager.default.copyItem(
      at: GraftBinary.repository.appendingPathComponent("\(images)/cat/\(name)"),
      to: oneClass.appendingPathComponent(name))
  }
  let single = try cache(folder, "single.h5", data: oneClass.deletingLastPathComponent().path)
  try expectError(["train-head", single, "--cv", "2", "-o", head], "class")

  let broken = folder.appendingPathComponent("broken/a")
  try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
  try Data("not an image".utf8).write(to: broken.appendingPathComponent("x.jpg"))
  let empty = try cache(folder, "empty.h5", data: broken.deletingLastPathComponent().path)
  try expectError(["train-head", empty, "-o", head], "row")
}

/// A model that is not a head, and a truncated feature cache, give one clear error each.
@Test func notAHeadAndTruncatedCachesAreRefused() throws {
  let folder = try temporaryFolder()
  let features = try cache(folder, "feats.h5")
  let notAHead = try GraftBinary.run(["evaluate", model, features])
  #expect(
    notAHead.status == 1 && notAHead.stderr.contains("is not a Graft head"), "\(notAHead.stderr)")
  let bytes = try Data(contentsOf: URL(fileURLWithPath: features))
  let truncated = folder.appendingPathComponent("truncated.h5")
  try bytes.prefix(bytes.count / 2).write(to: truncated)
  for arguments in [
    ["train-head", truncated.path, "-o", folder.appendingPathComponent("head.onnx").path],
    ["merge", features, truncated.path, "-o", folder.appendingPathComponent("all.h5").path],
  ] {
    let result = try GraftBinary.run(arguments)
    #expect(result.status == 1, "\(arguments[0]): \(result.stderr)")
    #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains("truncated.h5"))
  }
}

/// Outputs that cannot be written, and a prediction run stopped by --strict, leave nothing behind
/// and name the file.
@Test func failedOutputsLeaveNothing() throws {
  let folder = try temporaryFolder()
  let features = try cache(folder, "feats.h5")
  let head = folder.appendingPathComponent("head.onnx").path
  #expect(try GraftBinary.run(["train-head", features, "--cv", "2", "-o", head]).status == 0)
  let missing = folder.appendingPathComponent("missing/c.svg").path
  let plot = try GraftBinary.run(["evaluate", head, features, "--plot", missing])
  #expect(plot.status == 1 && plot.stderr.contains("cannot write '\(missing)'"), "\(plot.stderr)")

  let images = folder.appendingPathComponent("images/cat")
  try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
  try FileManager.default.copyItem(
    at: GraftBinary.repository.appendingPathComponent("fixtures/extract/images/cat/large.jpg"),
    to: images.appendingPathComponent("a.jpg"))
  try Data("not an image".utf8).write(to: images.appendingPathComponent("b.jpg"))
  let csv = folder.appendingPathComponent("predictions.csv").path
  let strict = try GraftBinary.run([
    "predict", model, images.deletingLastPathComponent().path, "--head", head, "-o", csv,
    "--strict", "--batch", "1",
  ])
  #expect(strict.status == 1 && strict.stderr.contains("cat/b.jpg"), "\(strict.stderr)")
  #expect(!FileManager.default.fileExists(atPath: csv))
  #expect(!FileManager.default.fileExists(atPath: csv + ".partial"))
}

/// A cache of two label columns (a `path,species,size` CSV, one size missing): train-head
/// needs `--labels`, trains one column leaving out its unlabelled rows, or one head per
/// column with `{label}` in OUT; evaluate scores a head on the column it was trained on.
@Test func labelColumnsAreChosenByName() throws {
  let folder = try temporaryFolder()
  try FileManager.default.copyItem(
    at: GraftBinary.repository.appendingPathComponent(images),
    to: folder.appendingPathComponent("images"))
  let rows = [
    "cat/grey.png,cat,small", "cat/large.jpg,cat,big", "cat/rotated.jpg,cat,",
    "dog/rgba.png,dog,big", "dog/square37.png,dog,small", "dog/wide37.jpg,dog,big",
    "fish/palette.png,fish,small", "fish/small.jpg,fish,small",
  ]
  let csv = folder.appendingPathComponent("images/tasks.csv")
  try (["path,species,size"] + rows).joined(separator: "\n").write(
    to: csv, atomically: true, encoding: .utf8)
  let features = try cache(folder, "feats.h5", data: csv.path)
  let head = folder.appendingPathComponent("head-{label}.onnx").path

  let unchosen = try GraftBinary.run(["train-head", features, "--cv", "2", "-o", head])
  #expect(unchosen.status == 1)
  #expect(
    unchosen.stderr.contains(
      "holds several label columns ('size', 'species'); choose one with --labels"))
  let missing = try GraftBinary.run(["train-head", features, "--labels", "colour", "-o", head])
  #expect(missing.stderr.contains("has no label column 'colour' (it holds 'size', 'species')"))
  let unnamed = try GraftBinary.run([
    "train-head", features, "--labels", "all", "-o", folder.appendingPathComponent("h.onnx").path,
  ])
  #expect(unnamed.status != 0 && unnamed.stderr.contains("put {label} in -o"))

  let size = try GraftBinary.run([
    "train-head", features, "--labels", "size", "--cv", "2", "--json", "-o",
    folder.appendingPathComponent("size.onnx").path,
  ])
  #expect(size.status == 0, "\(size.stderr)")
  #expect(json(size.stdout)["labels"] as? String == "size")
  #expect(json(size.stdout)["unlabelled_rows"] as? Int == 1)

  let all = try GraftBinary.run([
    "train-head", features, "--labels", "all", "--cv", "2", "--json", "-o", head,
  ])
  #expect(all.status == 0, "\(all.stderr)")
  let summaries = try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [[String: Any]]
  #expect(summaries?.compactMap { $0["labels"] as? String } == ["size", "species"])
  for column in ["size", "species"] {
    let path = folder.appendingPathComponent("head-\(column).onnx").path
    let evaluated = try GraftBinary.run(["evaluate", path, features, "--json"])
    #expect(evaluated.status == 0, "\(evaluated.stderr)")
    let scored = (json(evaluated.stdout)["confusion"] as? [[Int]])?.joined().reduce(0, +)
    #expect(scored == (column == "size" ? 7 : 8))
  }
}
