import Foundation
import GraftIR
import Testing

@testable import GraftData

private let imageFolder = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("fixtures/images")

/// Every fixture image (a `.jpg` or `.png` with PIL's pixels beside it in a `.npy`).
private let referenceImages: [String] = {
  let names = (try? FileManager.default.contentsOfDirectory(atPath: imageFolder.path)) ?? []
  return names.filter { $0.hasSuffix(".jpg") || $0.hasSuffix(".png") }
    .filter { names.contains(($0 as NSString).deletingPathExtension + ".npy") }
    .sorted()
}()

private func path(_ name: String) -> String { imageFolder.appendingPathComponent(name).path }

@Test func fixturesArePresent() {
  #expect(referenceImages.count == 34)
}

/// Decoding plus `rgb8()` gives exactly PIL's `exif_transpose(image).convert("RGB")`.
///
/// JPEGs included: TurboJPEG's defaults (accurate integer IDCT, fancy upsampling) are PIL's, and
/// Debian's libjpeg-turbo 2.1.5 and Pillow 13's bundled 3.2.0 agree bit for bit on these files.
/// `TJFLAG_FASTDCT` or `TJFLAG_FASTUPSAMPLE` would make every colour JPEG here fail.
@Test(arguments: referenceImages)
func decodesToPILPixels(name: String) throws {
  let image = try ImageDecoder.decode(contentsOf: path(name))
  let reference = try NPY.read(
    contentsOf: path((name as NSString).deletingPathExtension + ".npy"))
  #expect(reference.shape == [image.height, image.width, 3])
  let expected = reference.doubles().map { UInt8($0) }
  let actual = image.rgb8()
  try #require(actual.count == expected.count)
  let differing = zip(actual, expected).filter { $0 != $1 }.count
  #expect(differing == 0, "\(differing) of \(expected.count) samples differ from PIL")
}

@Test func keepsTheCodecsChannelsAndDepth() throws {
  let cases: [(String, Int, Int)] = [
    ("jpeg_grey.jpg", 1, 8), ("jpeg_baseline_420.jpg", 3, 8), ("png_grey_alpha.png", 2, 8),
    ("png_palette_trns.png", 4, 8), ("png_rgba_16.png", 4, 16), ("png_grey_16.png", 1, 16),
  ]
  for (name, channels, bitDepth) in cases {
    let image = try ImageDecoder.decode(contentsOf: path(name))
    #expect(image.channels == channels && image.bitDepth == bitDepth, "\(name)")
  }
}

@Test func readsTheExifOrientationInBothByteOrders() throws {
  for value in 1...8 {
    let bytes = try [UInt8](
      Data(
        contentsOf: URL(
          fileURLWithPath: path(
            "jpeg_orientation_\(value).jpg"))))
    #expect(ExifOrientation(jpeg: bytes).rawValue == value)
  }
  let bigEndian = try [UInt8](
    Data(contentsOf: URL(fileURLWithPath: path("jpeg_orientation_6_big_endian.jpg"))))
  #expect(ExifOrientation(jpeg: bigEndian) == .rotate90Clockwise)
  let plain = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path("jpeg_grey.jpg"))))
  #expect(ExifOrientation(jpeg: plain) == .identity)
}

/// Hostile EXIF blocks: offsets and counts pointing past the end, a wrong type, a bad value.
@Test func ignoresMalformedExif() {
  func jpeg(tiff: [UInt8]) -> [UInt8] {
    let payload = Array("Exif".utf8) + [0, 0] + tiff
    let length = payload.count + 2
    return [0xFF, 0xD8, 0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
      + [0xFF, 0xD9]
  }
  let header: [UInt8] = [0x49, 0x49, 42, 0]
  let entry: [UInt8] = [0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]
  #expect(
    ExifOrientation(jpeg: jpeg(tiff: header + [8, 0, 0, 0, 1, 0] + entry)) == .rotate90Clockwise)
  let hostile: [[UInt8]] = [
    header + [0xFF, 0xFF, 0xFF, 0x7F],  // IFD0 far past the end
    header + [8, 0, 0, 0, 0xFF, 0xFF, 0x10, 0x01, 2, 0, 1, 0, 0, 0, 6, 0, 0, 0],  // count too big
    header + [8, 0, 0, 0, 1, 0] + entry.prefix(9),  // entry cut short
    header + [8, 0, 0, 0, 1, 0, 0x12, 0x01, 4, 0, 1, 0, 0, 0, 6, 0, 0, 0],  // LONG, not SHORT
    header + [8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 9, 0, 0, 0],  // value 9
    [0x49, 0x49, 43, 0, 8, 0, 0, 0],  // not TIFF
    [],
  ]
  for tiff in hostile { #expect(ExifOrientation(jpeg: jpeg(tiff: tiff)) == .identity) }
  #expect(ExifOrientation(jpeg: [0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 0x45]) == .identity)
}

@Test func brokenFilesGiveErrorsNamingTheFile() {
  let cases: [(String, String)] = [
    ("truncated.jpg", "truncated or corrupt JPEG: Premature end of JPEG file"),
    ("no_end_marker.jpg", "truncated or corrupt JPEG"),
    ("truncated.png", "truncated or corrupt PNG"),
    ("bad_crc.png", "truncated or corrupt PNG"), ("not_an_image.jpg", "not a JPEG or PNG"),
    ("missing.png", "cannot read the file"),
  ]
  for (name, reason) in cases {
    do {
      _ = try ImageDecoder.decode(contentsOf: path(name))
      Issue.record("\(name) decoded")
    } catch let error as ImageError {
      #expect(error.path == path(name))
      #expect(error.description.hasPrefix(path(name) + ": "))
      #expect(error.description.contains(reason), "\(error)")
    } catch {
      Issue.record("\(name): \(error) is not an ImageError")
    }
  }
}

/// Randomly corrupted copies (bytes overwritten, the file cut short) decode or throw
/// `ImageError`, never crash.
@Test(arguments: referenceImages)
func corruptedCopiesNeverCrash(name: String) throws {
  let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path(name))))
  var random = SplitMix64(seed: UInt64(name.utf8.count) &* 7919 &+ UInt64(original.count))
  for trial in 0..<60 {
    var bytes = original
    for _ in 0..<Int.random(in: 1...8, using: &random) {
      // Keep the signature in most trials so the codecs, not the signature check, see the damage.
      let index = Int.random(in: (trial % 4 == 0 ? 0 : 8)..<bytes.count, using: &random)
      bytes[index] = UInt8.random(in: 0...255, using: &random)
    }
    if trial % 3 == 0 { bytes.removeLast(Int.random(in: 0..<bytes.count, using: &random)) }
    do {
      let image = try ImageDecoder.decode(data: Data(bytes), name: name)
      #expect(image.rgb8().count == image.width * image.height * 3)
    } catch let error as ImageError {
      #expect(error.path == name)
    }
  }
}

/// Every byte of a JPEG's head (SOI, the APP1 EXIF segment and what follows) overwritten in turn,
/// and every truncation: the EXIF reader returns an orientation, never traps.
@Test func exifReaderSurvivesEveryDamagedHeaderByte() throws {
  let original = try [UInt8](
    Data(contentsOf: URL(fileURLWithPath: path("jpeg_orientation_6_big_endian.jpg"))))
  var seen = Set<ExifOrientation>()
  for index in 0..<min(original.count, 96) {
    for value: UInt8 in [0x00, 0x01, 0x7F, 0x80, 0xFF] {
      var bytes = original
      bytes[index] = value
      seen.insert(ExifOrientation(jpeg: bytes))
    }
  }
  for length in 0..<min(original.count, 96) {
    seen.insert(ExifOrientation(jpeg: Array(original.prefix(length))))
  }
  #expect(seen.contains(.rotate90Clockwise) && seen.contains(.identity))
}
