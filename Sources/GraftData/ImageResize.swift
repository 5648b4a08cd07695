import CGraftImage
import Foundation

/// Image resizing that gives Pillow 11's results bit for bit, because models are trained on images
/// Pillow resized and the extraction presets promise the same input (written by hand: no Debian
/// library reproduces Pillow's fixed-point convolution).
///
/// Pixels are 8-bit, row-major, interleaved (`[height][width][channels]`).
public enum ImageResize {
  /// Pillow's `Image.resize((width, height), Image.BILINEAR)`: a separable triangle filter,
  /// widened by the scale factor when shrinking (antialiasing), run horizontally then vertically
  /// with the intermediate rounded to 8 bits, as Pillow's `ImagingResample` does.
  ///
  /// For output index `o` along an axis of `n` inputs resized to `m`: `scale = n / m`,
  /// `f = max(scale, 1)`, `centre = (o + 0.5)·scale`, inputs `i` from `⌊centre − f + 0.5⌋` to
  /// `⌊centre + f + 0.5⌋` (clamped to the axis) weigh `max(0, 1 − |(i − centre + 0.5) / f|)`,
  /// normalised to sum 1, then held as integers with 22 fraction bits; each output is
  /// `clamp((2²¹ + Σ weight·input) >> 22, 0, 255)`.
  ///
  /// With a `window`, only the outputs in it are computed (each exactly as in the whole
  /// resize) and returned, `columns.count × rows.count` pixels: a resize then crop that skips
  /// the pixels the crop would drop.
  public static func bilinear(
    _ pixels: [UInt8], width: Int, height: Int, channels: Int, toWidth: Int, toHeight: Int,
    window: (columns: Range<Int>, rows: Range<Int>)? = nil
  ) -> [UInt8] {
    precondition(pixels.count == width * height * channels && toWidth > 0 && toHeight > 0)
    let (columns, rows) = window ?? (0..<toWidth, 0..<toHeight)
    precondition(
      columns.clamped(to: 0..<toWidth) == columns && rows.clamped(to: 0..<toHeight) == rows)
    let vertical = ResampleWeights(inputSize: height, outputSize: toHeight).restricted(to: rows)
    // The input rows the vertical pass reads (all of `rows` when it does not resize).
    let inputRows =
      toHeight == height
      ? rows : Int(vertical.starts.first!)..<Int(vertical.starts.last! + vertical.counts.last!)
    let source =
      toWidth == width
      ? crop(pixels, width: width, channels: channels, columns: columns, rows: inputRows)
      : horizontalPass(
        pixels, width: width, channels: channels, rows: inputRows,
        weights: ResampleWeights(inputSize: width, outputSize: toWidth).restricted(to: columns))
    guard toHeight != height else { return source }
    return verticalPass(
      source, width: columns.count, channels: channels, firstRow: inputRows.lowerBound,
      weights: vertical)
  }

  /// The pixels of `columns × rows` of an image `width` pixels wide.
  public static func crop(
    _ pixels: [UInt8], width: Int, channels: Int, columns: Range<Int>, rows: Range<Int>
  ) -> [UInt8] {
    guard columns.count != width else {
      return Array(
        pixels[(rows.lowerBound * width * channels)..<(rows.upperBound * width * channels)])
    }
    var result: [UInt8] = []
    result.reserveCapacity(columns.count * rows.count * channels)
    for row in rows {
      let start = (row * width + columns.lowerBound) * channels
      result += pixels[start..<(start + columns.count * channels)]
    }
    return result
  }

  /// Pillow's `Image.resize((width, height), Image.NEAREST)`: output `o` along an axis of `n`
  /// inputs resized to `m` reads input `⌊c_o⌋` with `c_0 = scale / 2` and `c_{o+1} = c_o + scale`
  /// in double precision, `scale = n / m` (the running sum, not `(o + 0.5)·scale`: Pillow's
  /// `ImagingScaleAffine` adds, and the two round differently at some sizes).
  public static func nearest(
    _ pixels: [UInt8], width: Int, height: Int, channels: Int, toWidth: Int, toHeight: Int
  ) -> [UInt8] {
    precondition(pixels.count == width * height * channels && toWidth > 0 && toHeight > 0)
    func sources(_ inputSize: Int, _ outputSize: Int) -> [Int] {
      let scale = Double(inputSize) / Double(outputSize)
      var position = scale * 0.5
      return (0..<outputSize).map { _ in
        defer { position += scale }
        return min(Int(position), inputSize - 1)
      }
    }
    let columns = sources(width, toWidth)
    var result: [UInt8] = []
    result.reserveCapacity(toWidth * toHeight * channels)
    for row in sources(height, toHeight) {
      for column in columns {
        let start = (row * width + column) * channels
        result += pixels[start..<(start + channels)]
      }
    }
    return result
  }

  private static func horizontalPass(
    _ pixels: [UInt8], width: Int, channels: Int, rows: Range<Int>, weights: ResampleWeights
  ) -> [UInt8] {
    var result = [UInt8](repeating: 0, count: rows.count * weights.outputs * channels)
    pixels.withUnsafeBufferPointer { input in
      result.withUnsafeMutableBufferPointer { output in
        weights.withAxis { axis in
          graft_resample_horizontal(
            input.baseAddress! + rows.lowerBound * width * channels, Int32(width),
            Int32(channels), Int32(rows.count), axis, output.baseAddress!)
        }
      }
    }
    return result
  }

  /// The vertical pass over `pixels`, whose first row is input row `firstRow`.
  private static func verticalPass(
    _ pixels: [UInt8], width: Int, channels: Int, firstRow: Int, weights: ResampleWeights
  ) -> [UInt8] {
    let rowLength = width * channels
    var result = [UInt8](repeating: 0, count: weights.outputs * rowLength)
    pixels.withUnsafeBufferPointer { input in
      result.withUnsafeMutableBufferPointer { output in
        weights.withAxis { axis in
          graft_resample_vertical(
            input.baseAddress!, Int32(rowLength), Int32(firstRow), axis, output.baseAddress!)
        }
      }
    }
    return result
  }
}

/// The fixed-point filter weights of one axis (Pillow's `precompute_coeffs` and
/// `normalize_coeffs_8bpc` for the bilinear filter).
private struct ResampleWeights {
  static let precisionBits: Int32 = 22
  /// Per output: the first input read and how many.
  var starts: [Int32] = []
  var counts: [Int32] = []
  var outputs: Int { starts.count }
  /// `taps` weights per output, zero past its span.
  var coefficients: [Int32] = []
  let taps: Int

  init(inputSize: Int, outputSize: Int) {
    let scale = Double(inputSize) / Double(outputSize)
    let filterScale = max(scale, 1)
    let support = filterScale
    taps = Int(support.rounded(.up)) * 2 + 1
    coefficients.reserveCapacity(outputSize * taps)
    for output in 0..<outputSize {
      let centre = (Double(output) + 0.5) * scale
      let start = max(Int(centre - support + 0.5), 0)
      let count = min(Int(centre + support + 0.5), inputSize) - start
      var weights = (0..<count).map { tap in
        max(0, 1 - abs((Double(tap + start) - centre + 0.5) / filterScale))
      }
      let total = weights.reduce(0, +)
      if total != 0 { weights = weights.map { $0 / total } }
      let unit = Double(1 << Self.precisionBits)
      coefficients += weights.map { Int32($0 < 0 ? -0.5 + $0 * unit : 0.5 + $0 * unit) }
      coefficients += repeatElement(0, count: taps - count)
      starts.append(Int32(start))
      counts.append(Int32(count))
    }
  }

  /// The weights of the outputs in `outputs` only, in order.
  func restricted(to outputs: Range<Int>) -> ResampleWeights {
    guard outputs != 0..<self.outputs else { return self }
    var copy = self
    copy.starts = Array(starts[outputs])
    copy.counts = Array(counts[outputs])
    copy.coefficients = Array(
      coefficients[(outputs.lowerBound * taps)..<(outputs.upperBound * taps)])
    return copy
  }

  /// Runs `body` with the weights as the C resampler takes them.
  func withAxis(_ body: (UnsafePointer<graft_resample_axis>) -> Void) {
    starts.withUnsafeBufferPointer { starts in
      counts.withUnsafeBufferPointer { counts in
        coefficients.withUnsafeBufferPointer { coefficients in
          var axis = graft_resample_axis(
            starts: starts.baseAddress, counts: counts.baseAddress,
            weights: coefficients.baseAddress, taps: Int32(taps), outputs: Int32(outputs),
            precision_bits: Self.precisionBits)
          body(&axis)
        }
      }
    }
  }
}
