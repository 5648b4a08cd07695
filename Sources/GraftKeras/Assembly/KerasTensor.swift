import GraftIR

/// How a Keras tensor is held in the IR.
public enum KerasLayout: Hashable, Sendable {
  /// In Keras's own axis order.
  case keras
  /// A `channels_last` tensor `[N, D1, …, Dk, C]` held channels-first, `[N, C, D1, …, Dk]`.
  case channelsFirst
  /// A Flatten of a `channels_last` tensor: Keras's `[N, D1·…·Dk·C]` held as the flattening of
  /// the channels-first `[N, C, D1, …, Dk]`, whose dims after the batch are `unflattened`.
  case flattenedChannelsFirst(unflattened: [Int])
}

/// A Keras tensor: the IR value holding it and how.
public struct KerasTensor: Hashable, Sendable {
  public var value: String
  public var layout: KerasLayout

  public init(value: String, layout: KerasLayout = .keras) {
    self.value = value
    self.layout = layout
  }
}

extension KerasLayout {
  /// For a channels-first value of rank `rank`: the IR axis of each Keras axis,
  /// `[0, 2, …, rank − 1, 1]`.
  static func toKeras(rank: Int) -> [Int] { [0] + Array(2..<max(rank, 2)) + [1] }
  /// For a Keras `channels_last` value of rank `rank`: the Keras axis of each IR axis,
  /// `[0, rank − 1, 1, …, rank − 2]`.
  static func toChannelsFirst(rank: Int) -> [Int] { [0, rank - 1] + Array(1..<max(rank - 1, 1)) }
}
