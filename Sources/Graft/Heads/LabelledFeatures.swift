/// One cached layer's features, read once and checked to be finite, for the label columns a
/// head is trained or scored on.
struct CachedLayerFeatures {
  let cache: FeatureCache
  let layer: String
  /// Row-major `[cache.rows][width]`.
  let values: [Float]
  let width: Int

  /// Reads `layer` (the cache's only one when nil).
  ///
  /// - Throws: `HeadDataError` for a cache without labels, of several layers with none chosen,
  ///   or with a feature that is not finite (naming its row and id).
  init(_ cache: FeatureCache, layer requested: String?) throws {
    guard !cache.labelColumns.isEmpty else { throw HeadDataError.noLabels(path: cache.path) }
    guard
      let layer = requested
        ?? (cache.provenance.layers.count == 1 ? cache.provenance.layers[0] : nil)
    else { throw HeadDataError.whichLayer(path: cache.path, layers: cache.provenance.layers) }
    let features = try cache.features(layer, rows: 0..<cache.rows)
    let values = features.elements(as: Float.self)
    if let bad = values.firstIndex(where: { !$0.isFinite }) {
      let row = bad / max(1, values.count / max(cache.rows, 1))
      throw HeadDataError.nonFinite(
        path: cache.path, row: row, id: try cache.ids(rows: row..<(row + 1)).first ?? "")
    }
    (self.cache, self.layer, self.values) = (cache, layer, values)
    width = cache.rows == 0 ? 0 : features.count / cache.rows
  }

  /// The rows labelled in `column` (the only one when nil), as a training set over
  /// `classNames` (the column's own classes when nil; otherwise each row's class name is
  /// looked up in them).
  ///
  /// - Throws: `HeadDataError` for a class not in `classNames`; `LabelColumnError` for a label
  ///   column that cannot be chosen.
  func labelled(column name: String?, classNames: [String]? = nil) throws -> LabelledFeatures {
    let column = try cache.labelColumns.column(named: name, in: cache.path)
    let names = column.classes
    let index = Dictionary(
      uniqueKeysWithValues: (classNames ?? names).enumerated().map { ($1, $0) })
    let labels = try cache.labels(column.name, rows: 0..<cache.rows)
    let labelled = labels.indices.filter { labels[$0] != LabelColumn.missing }
    let mapped = try labelled.map { row in
      guard let position = index[names[Int(labels[row])]] else {
        throw HeadDataError.unknownClass(path: cache.path, name: names[Int(labels[row])])
      }
      return Int32(position)
    }
    let width = width
    let data = TrainingSet(
      features: labelled.count == cache.rows
        ? values : labelled.flatMap { values[($0 * width)..<(($0 + 1) * width)] },
      rows: labelled.count, columns: width, labels: mapped,
      classCount: (classNames ?? names).count)
    return LabelledFeatures(
      data: data, column: column, unlabelledRows: cache.rows - labelled.count)
  }
}

/// The rows of one cached layer labelled in one label column, as a training set.
struct LabelledFeatures {
  var data: TrainingSet
  var column: LabelColumn
  /// The cache's rows left out for having no label in the column.
  var unlabelledRows: Int
}
