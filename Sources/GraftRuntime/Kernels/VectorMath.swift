/// Branch-free float32 versions of `exp`, `tanh` and `erf` that the compiler vectorises inside a
/// loop (the C library's are opaque calls, 5–30 ns an element). Each is accurate to a few ulp,
/// far inside the runtime's 1e-4 parity tolerance, and none uses fused multiply-add, which the
/// baseline x86-64 target lacks.
enum VectorMath {
  /// `eˣ` by range reduction `x = n·ln 2 + r`, |r| ≤ ln 2 / 2, a degree-6 polynomial for `eʳ`
  /// (Cephes' `expf` coefficients) and `2ⁿ` built in the exponent bits of two factors (so that
  /// n = −126…128 all fit). Results below float's normal range are 0 and above it +∞; NaN stays
  /// NaN.
  @inline(__always)
  static func exp(_ x: Float) -> Float {
    let clamped = Swift.min(Swift.max(x, -87.336_54), 88.722_84)
    // Adding 1.5·2²³ rounds x·log₂e to an integer held in the low mantissa bits.
    let magic: Float = 12_582_912
    let shifted = clamped * 1.442_695_04 + magic
    let n = shifted - magic
    let r = clamped - n * 0.693_359_375 + n * 2.121_944_4e-4
    var p: Float = 1.987_569_15e-4
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_59e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_12e-1
    p = p * (r * r) + r + 1
    let n1 = Int32(bitPattern: shifted.bitPattern) &- 0x4B40_0000
    let half = n1 >> 1
    let scale1 = Float(bitPattern: UInt32(bitPattern: (half &+ 127) << 23))
    let scale2 = Float(bitPattern: UInt32(bitPattern: (n1 &- half &+ 127) << 23))
    let y = p * scale1 * scale2
    return x < -87.336_54 ? 0 : x > 88.722_84 ? .infinity : y
  }

  /// `tanh x` as the odd rational function of degree 13/6 used by Eigen and ONNX Runtime's MLAS,
  /// with x clamped to ±7.9 (where tanh is 1 in float32) and `x` itself for |x| < 0.0004.
  @inline(__always)
  static func tanh(_ x: Float) -> Float {
    let clamped = Swift.min(Swift.max(x, -7.905_311_1), 7.905_311_1)
    let s = clamped * clamped
    var p: Float = -2.760_768_5e-16
    p = p * s + 2.000_187_9e-13
    p = p * s - 8.604_671_5e-11
    p = p * s + 5.122_297_1e-8
    p = p * s + 1.485_722_4e-5
    p = p * s + 6.372_619_3e-4
    p = p * s + 4.893_524_6e-3
    var q: Float = 1.198_258_4e-6
    q = q * s + 1.185_347_1e-4
    q = q * s + 2.268_434_6e-3
    q = q * s + 4.893_525_2e-3
    let y = clamped * p / q
    return Swift.abs(x) < 0.0004 ? x : y
  }

  /// `erf x`: for |x| ≤ 0.921875 an odd polynomial, beyond it `1 − exp(−poly(|x|))` with the
  /// sign restored; both are evaluated and one selected, so the loop stays branch-free.
  @inline(__always)
  static func erf(_ x: Float) -> Float {
    let t = Swift.abs(x)
    let s = x * x
    var small: Float = -5.967_617e-4
    small = small * s + 4.991_194_2e-3
    small = small * s - 2.676_813_5e-2
    small = small * s + 1.128_199_25e-1
    small = small * s - 3.761_253_36e-1
    small = small * s + 1.283_791_66e-1
    small = small * x + x
    var big: Float = 1.728_534_7e-5
    big = big * t - 3.831_971_26e-4
    big = big * t + 3.883_964_38e-3
    big = big * t - 2.425_462_19e-2
    big = big * t + 1.067_778_77e-1
    big = big * t + 6.348_466_87e-1
    big = big * t + 1.287_175_12e-1
    big = big * t + t
    let tail = 1 - exp(-big)
    let large = x < 0 ? -tail : tail
    return t > 0.921_875 ? large : small
  }
}
