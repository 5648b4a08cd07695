/// How rows are weighed by class in a head's loss.
public enum ClassWeighting: String, Sendable, Codable {
  /// Every row weighs 1.
  case uniform
  /// Rows of class c weigh `rows / (classes · rows of c)` (scikit-learn's `"balanced"`), counted
  /// on the rows each fit sees (each fold's training rows, then all rows for the refit).
  case balanced

  /// Per-class weights for rows with these class counts (nil for `uniform`).
  ///
  /// `classes` counts the classes present, as scikit-learn's LabelEncoder does; an absent class
  /// gets weight 0 (it has no rows to weigh).
  public func weights(classCounts: [Int]) -> [Float]? {
    switch self {
    case .uniform: return nil
    case .balanced:
      let rows = Double(classCounts.reduce(0, +))
      let present = Double(classCounts.filter { $0 > 0 }.count)
      return classCounts.map { $0 == 0 ? 0 : Float(rows / (present * Double($0))) }
    }
  }
}
