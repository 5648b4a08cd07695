import GraftIR

extension ModelInspection {
  /// The human-readable report of `graft inspect`.
  public var text: String {
    var lines: [String] = []
    let version = producerVersion.isEmpty ? "" : " \(producerVersion)"
    lines.append("\(path): \(format) model")
    lines.append("  producer:   \(producer.isEmpty ? "(none)" : producer + version)")
    if let irVersion { lines.append("  IR version: \(irVersion)") }
    if format == ModelFormat.kerasH5.rawValue {
      let major = metadata["keras_version"].map { " \($0.prefix { $0 != "." })" } ?? ""
      let details = [metadata["keras_file"], metadata["backend"].map { "backend \($0)" }]
      lines.append(
        "  Keras:      Keras\(major) (" + details.compactMap { $0 }.joined(separator: ", ") + ")")
    }
    if !opsets.isEmpty {
      let list = opsets.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
      lines.append("  opsets:     " + list.joined(separator: ", "))
    }
    lines.append(
      "  parameters: \(Self.grouped(parameters)) (\(Self.byteSize(parameterBytes)) of constants)")
    lines.append(
      "  FLOPs:      " + (flopsPerSample.map { Self.grouped($0) + " per sample" } ?? "unknown"))
    lines.append("")
    lines.append("inputs:")
    lines += Self.table(inputs.map { [$0.name, Self.typeText($0)] }, indent: "  ")
    lines.append("outputs:")
    lines += Self.table(outputs.map { [$0.name, Self.typeText($0)] }, indent: "  ")
    lines.append("")
    lines.append("ops (\(ops.reduce(0) { $0 + $1.count }) nodes):")
    lines += Self.table(ops.map { [$0.op, "\($0.count)"] }, indent: "  ")
    lines.append("")
    lines.append("cut points (\(cutPoints.count)):")
    lines += Self.table(
      [["node", "op", "value", "type"]]
        + cutPoints.map { [$0.node ?? "", $0.op ?? "", $0.name, Self.typeText($0)] },
      indent: "  ")
    lines.append("")
    if unsupported.isEmpty {
      lines.append("unsupported ops: none")
    } else {
      lines.append("unsupported ops (\(unsupported.count)):")
      for entry in unsupported {
        lines.append(
          "  \(entry.op) (\(entry.domain) opset \(entry.opset)): "
            + entry.nodes.map { "'\($0)'" }.joined(separator: ", "))
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func typeText(_ value: Value) -> String {
    let shape = value.shape.map { "[" + $0.map(\.dim.description).joined(separator: ", ") + "]" }
    return "\(value.dtype ?? "?")\(shape ?? "[?]")"
  }

  /// Left-aligned columns separated by two spaces.
  static func table(_ rows: [[String]], indent: String) -> [String] {
    guard let columns = rows.map(\.count).max() else { return [] }
    var widths = [Int](repeating: 0, count: columns)
    for row in rows {
      for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
    }
    return rows.map { row in
      let cells = row.enumerated().map { index, cell in
        index == row.count - 1
          ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
      }
      return indent + cells.joined(separator: "  ")
    }
  }

  /// `1,234,567`
  static func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var result = ""
    for (index, character) in digits.enumerated() {
      if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
      result.append(character)
    }
    return (value < 0 ? "-" : "") + result
  }

  /// `12.3 MB`
  static func byteSize(_ bytes: Int) -> String {
    let units = ["B", "kB", "MB", "GB", "TB"]
    var size = Double(bytes)
    var unit = 0
    while size >= 1000 && unit < units.count - 1 {
      size /= 1000
      unit += 1
    }
    return unit == 0 ? "\(bytes) B" : String(format: "%.1f", size) + " " + units[unit]
  }
}
