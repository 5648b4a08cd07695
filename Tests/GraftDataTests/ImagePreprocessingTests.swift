import Foundation
import GraftData
import GraftIR
import Testing

private let folder = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("fixtures/resize")

/// The cases `fixtures/resize/generate.py` wrote: image name and output size.
private let cases: [[String]] = {
  guard let data = try? Data(contentsOf: folder.appendingPathComponent("cases.json")),
    let list = try? JSONSerialization.jsonObject(with: data) as? [[Any]]
  else { return [] }
  return list.map { $0.map { "\($0)" } }
}()

/// Shrinking, enlarging and mixed resizes of RGB and greyscale images equal Pillow's
/// `Image.resize(size, BILINEAR)` and `Image.resize(size, NEAREST)` exactly.
@Test(arguments: cases, [false, true])
func resizeEqualsPillow(test: [String], nearest: Bool) throws {
  let (name, width, height) = (test[0], Int(test[1])!, Int(test[2])!)
  let input = try NPY.read(contentsOf: folder.appendingPathComponent("input_\(name).npy").path)
  let suffix = nearest ? "_nearest" : ""
  let expected = try NPY.read(
    contentsOf: folder.appendingPathComponent("\(name)_\(width)x\(height)\(suffix).npy").path)
  let (pixels, channels) = (input.elements(as: UInt8.self), input.shape[2])
  let result =
    nearest
    ? ImageResize.nearest(
      pixels, width: input.shape[1], height: input.shape[0], channels: channels, toWidth: width,
      toHeight: height)
    : ImageResize.bilinear(
      pixels, width: input.shape[1], height: input.shape[0], channels: channels, toWidth: width,
      toHeight: height)
  let reference = expected.elements(as: UInt8.self)
  let worst = zip(result, reference).map { abs(Int($0) - Int($1)) }.max() ?? 0
  #expect(result.count == reference.count)
  #expect(result == reference, "\(name) → \(width)×\(height): max difference \(worst)")
}

@Test func resizeCasesAreListed() {
  #expect(cases.count == 18)
}

/// Each preset turns the "photo" fixture into what the reference pipeline (Pillow resize, centre
/// crop, numpy scaling) gives, in either layout.
@Test(arguments: [
  (Preprocessing.Preset.torch, Preprocessing.Layout.nchw), (.tf, .nhwc), (.caffe, .nchw),
  (.unit, .nhwc), (.raw, .nchw),
])
func presetsMatchTheReferencePipeline(preset: Preprocessing.Preset, layout: Preprocessing.Layout)
  throws
{
  let photo = try NPY.read(contentsOf: folder.appendingPathComponent("input_photo.npy").path)
  let expected = try NPY.read(
    contentsOf: folder.appendingPathComponent("preset_\(preset.rawValue)_\(layout.rawValue).npy")
      .path)
  let values = Preprocessing(preset, size: 16, layout: layout).apply(
    rgb: photo.elements(as: UInt8.self), width: photo.shape[1], height: photo.shape[0])
  let result = Tensor(values, shape: expected.shape)
  #expect(
    result.matches(expected, tolerance: 1e-6),
    "\(preset): \(String(describing: result.difference(from: expected)))")
}

/// A decoded image (oriented, converted to RGB) goes through a preset as Pillow's pixels of the
/// same file do.
@Test(arguments: ["jpeg_baseline_420.jpg", "jpeg_orientation_6.jpg", "png_palette.png"])
func decodedImagesFeedThePresets(file: String) throws {
  let images = folder.deletingLastPathComponent().appendingPathComponent("images")
  let image = try ImageDecoder.decode(contentsOf: images.appendingPathComponent(file).path)
  let reference = images.appendingPathComponent(file).deletingPathExtension()
    .appendingPathExtension("npy")
  let pixels = try NPY.read(contentsOf: reference.path)
  let preset = Preprocessing(.torch, size: 4)
  let expected = preset.apply(
    rgb: pixels.elements(as: UInt8.self), width: pixels.shape[1], height: pixels.shape[0])
  #expect(preset.apply(image) == expected)
}

/// A windowed bilinear resize equals the whole resize cropped to the window, for shrinking,
/// enlarging and one-axis resizes.
@Test(arguments: [(60, 40, 37, 25), (20, 30, 45, 50), (40, 30, 40, 20), (30, 40, 17, 40)])
func windowedResizeEqualsResizeThenCrop(size: (Int, Int, Int, Int)) {
  let (width, height, toWidth, toHeight) = size
  var random = SplitMix64(seed: 3)
  let pixels = (0..<(width * height * 3)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
  let whole = ImageResize.bilinear(
    pixels, width: width, height: height, channels: 3, toWidth: toWidth, toHeight: toHeight)
  let (columns, rows) = (2..<(toWidth - 3), 1..<(toHeight - 2))
  let windowed = ImageResize.bilinear(
    pixels, width: width, height: height, channels: 3, toWidth: toWidth, toHeight: toHeight,
    window: (columns, rows))
  #expect(
    windowed
      == ImageResize.crop(whole, width: toWidth, channels: 3, columns: columns, rows: rows))
}

/// `--resize-to 0` resizes straight to S×S (no crop), then scales; one channel is Pillow's
/// `convert("L")` of the RGB pixels.
@Test func straightResizeAndGreyscale() {
  var random = SplitMix64(seed: 9)
  let (width, height) = (12, 7)
  let pixels = (0..<(width * height * 3)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
  let straight = Preprocessing(resizeTo: 0, crop: 5, layout: .nhwc)
  let resized = ImageResize.bilinear(
    pixels, width: width, height: height, channels: 3, toWidth: 5, toHeight: 5)
  #expect(straight.apply(rgb: pixels, width: width, height: height) == resized.map(Float.init))
  let square = Array(pixels[0..<27])  // a 3×3 image: no resize, no crop
  let luma = stride(from: 0, to: 27, by: 3).map { index -> Float in
    let (r, g, b) = (UInt32(square[index]), UInt32(square[index + 1]), UInt32(square[index + 2]))
    return Float((19595 * r + 38470 * g + 7471 * b + 0x8000) >> 16)
  }
  let grey = Preprocessing(resizeTo: 0, crop: 3, mean: [0], std: [1], channels: 1)
  #expect(grey.apply(rgb: square, width: 3, height: 3) == luma)
}
