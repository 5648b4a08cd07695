import Foundation
import GraftData
import Testing

private func temporaryFolder() -> String {
  FileManager.default.temporaryDirectory.appendingPathComponent("graft-run-\(UUID().uuidString)")
    .path
}

/// `graft run` on a fixture writes one .npy per output, equal to onnxruntime's within 1e-4.
@Test func runWritesEachOutputAsNpy() throws {
  let folder = "fixtures/onnx/torch_style_mlp_chain"
  let out = temporaryFolder()
  let result = try GraftBinary.run([
    "run", "\(folder)/model.onnx", "-i", "\(folder)/input_0.npy", "-o", out, "--threads", "2",
  ])
  #expect(result.status == 0, "\(result.stderr)")
  for (index, name) in ["logits", "embedding"].enumerated() {
    let actual = try NPY.read(contentsOf: "\(out)/\(name).npy").elements(as: Float.self)
    let expected = try NPY.read(
      contentsOf: GraftBinary.repository.appendingPathComponent("\(folder)/output_\(index).npy")
        .path
    ).elements(as: Float.self)
    let scale = max(1, expected.map(abs).max() ?? 0)
    let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
    #expect(actual.count == expected.count && worst <= 1e-4 * scale, "\(name): \(worst)")
  }
}

/// `--output` cuts at an inner value; the file name replaces characters outside [A-Za-z0-9._-].
@Test func runCutsAtAnInnerValue() throws {
  let folder = "fixtures/onnx/torch_style_mlp_chain"
  let out = temporaryFolder()
  let result = try GraftBinary.run([
    "run", "\(folder)/model.onnx", "-i", "input=\(folder)/input_0.npy",
    "--output", "/relu/Relu_output_0", "-o", out,
  ])
  #expect(result.status == 0, "\(result.stderr)")
  let cut = try NPY.read(contentsOf: "\(out)/_relu_Relu_output_0.npy")
  #expect(cut.shape == [2, 4, 8, 8])
  #expect(cut.elements(as: Float.self).allSatisfy { $0 >= 0 })
}

@Test func runRejectsAMisshapenInput() throws {
  let result = try GraftBinary.run([
    "run", "fixtures/onnx/torch_style_mlp_chain/model.onnx",
    "-i", "fixtures/onnx/resnet_keras/input_0.npy", "-o", temporaryFolder(),
  ])
  #expect(result.status == 1)
  #expect(
    result.stderr.hasPrefix("error: input 'input' must have shape [N, 3, 8, 8], got [2, 32, 32, 3]")
  )
}

@Test func runOfAModelWithUnsupportedOpsListsThemAll() throws {
  let result = try GraftBinary.run([
    "run", "fixtures/onnx/unsupported_ops/model.onnx", "-i", "x.npy", "-o", temporaryFolder(),
  ])
  #expect(result.status == 1)
  #expect(result.stderr.contains("TopK") && result.stderr.contains("FusedMatMul"))
}
