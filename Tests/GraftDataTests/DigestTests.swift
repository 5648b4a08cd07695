import Foundation
import GraftData
import Testing

/// SHA-256 of files, streamed: FIPS 180-2's "abc" vector split over two files, and a file larger
/// than one read block checked against `sha256sum`'s answer for the same bytes.
@Test func sha256MatchesTheStandardVectors() throws {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "graft-digest-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  let (a, bc) = (folder.appendingPathComponent("a").path, folder.appendingPathComponent("bc").path)
  try Data("a".utf8).write(to: URL(fileURLWithPath: a))
  try Data("bc".utf8).write(to: URL(fileURLWithPath: bc))
  #expect(
    try Digest.sha256(ofFiles: [a, bc])
      == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  let large = folder.appendingPathComponent("large").path
  try Data(repeating: 0x61, count: 5 << 20).write(to: URL(fileURLWithPath: large))
  #expect(
    try Digest.sha256(ofFiles: [large])
      == "a29968fad2e782aa9f2040a35f05adb97ed8979eb1f572c8c8ea78637e275f3c")
  #expect(
    Digest.sha256(of: Data("abc".utf8))
      == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  #expect { try Digest.sha256(ofFiles: [folder.appendingPathComponent("none").path]) } throws: {
    "\($0)".contains("none")
  }
}
