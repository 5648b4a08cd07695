import GraftIR

/// The heads' random draws, written out so that a seed gives the same numbers on every
/// platform and Swift version (the standard library's `shuffle(using:)` and `random(in:using:)`
/// do not promise a fixed algorithm).
enum SeededRandom {
  /// Uniform in `[0, 1)`, from the top 53 bits of one draw.
  static func unit(_ rng: inout SplitMix64) -> Double {
    Double(rng.next() >> 11) * 0x1p-53
  }

  /// Uniform in `0..<bound` by Lemire's multiply-shift (bias below `bound / 2⁶⁴`).
  static func index(below bound: Int, _ rng: inout SplitMix64) -> Int {
    Int(rng.next().multipliedFullWidth(by: UInt64(bound)).high)
  }

  /// Fisher–Yates shuffle.
  static func shuffle(_ values: inout [Int], _ rng: inout SplitMix64) {
    for last in stride(from: values.count - 1, to: 0, by: -1) {
      values.swapAt(last, index(below: last + 1, &rng))
    }
  }
}
