import Foundation

/// A confusion matrix drawn as an SVG heat map, written by hand: no SVG or plotting library is
/// available to Graft on this platform, and the picture needs only rectangles and text.
///
/// Layout: a title with the accuracy and macro F1; one square cell per (true, predicted) pair,
/// true classes down the left (top to bottom in class order) and predicted classes along the
/// top (names written vertically); each cell shows its count and is shaded by the count's
/// share of its row (the class's recall on the diagonal), from near-white at 0 to dark blue
/// at 1 (matplotlib's "Blues" end points), with white text on dark cells. Each cell carries a
/// `<title>` tooltip ("true cat, predicted dog: 2 of 7 (28.6%)"). Text widths are estimated at
/// 7 px per character of the 12 px sans-serif font (8 px for the 14 px bold title).
public enum ConfusionPlot {
  private static let cell = 44
  private static let margin = 16
  private static let characterWidth = 7
  private static let light = (247, 251, 255)
  private static let dark = (8, 48, 107)

  /// The SVG document for `metrics`'s confusion matrix.
  public static func svg(_ metrics: ClassificationMetrics) -> String {
    let names = metrics.classNames
    let classes = names.count
    let nameWidth = (names.map(\.count).max() ?? 0) * characterWidth
    let title =
      "Confusion matrix: accuracy \(ClassificationMetrics.decimal(metrics.accuracy)), "
      + "macro F1 \(ClassificationMetrics.decimal(metrics.macroF1)), \(metrics.rows) rows"
    let left = margin + 20 + nameWidth + 6
    let top = 56 + nameWidth + 6
    let side = classes * cell
    let width = max(left + side + margin, 2 * margin + title.count * (characterWidth + 1))
    let height = top + side + margin
    var lines = [
      #"<?xml version="1.0" encoding="UTF-8"?>"#,
      #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(width)" height="\#(height)" "#
        + #"viewBox="0 0 \#(width) \#(height)" font-family="sans-serif" font-size="12">"#,
      #"<rect class="background" width="100%" height="100%" fill="white"/>"#,
      #"<text x="\#(margin)" y="24" font-size="14" font-weight="bold">\#(escape(title))</text>"#,
      #"<text x="\#(left + side / 2)" y="48" text-anchor="middle">predicted class</text>"#,
      #"<text transform="translate(\#(margin + 6) \#(top + side / 2)) rotate(-90)" "#
        + #"text-anchor="middle" dominant-baseline="middle">true class</text>"#,
    ]
    for (index, name) in names.enumerated() {
      let (x, y) = (left + index * cell + cell / 2, top - 6)
      lines.append(
        #"<text transform="translate(\#(x) \#(y)) rotate(-90)" dominant-baseline="middle">"#
          + "\(escape(name))</text>")
      lines.append(
        #"<text x="\#(left - 6)" y="\#(top + index * cell + cell / 2)" text-anchor="end" "#
          + #"dominant-baseline="middle">\#(escape(name))</text>"#)
    }
    for (truth, counts) in metrics.confusion.enumerated() {
      let total = counts.reduce(0, +)
      for (guess, count) in counts.enumerated() {
        let share = total == 0 ? 0 : Double(count) / Double(total)
        let (x, y) = (left + guess * cell, top + truth * cell)
        let tooltip =
          "true \(names[truth]), predicted \(names[guess]): \(count) of \(total) "
          + "(\(String(format: "%.1f", 100 * share))%)"
        lines.append(
          #"<rect class="cell" x="\#(x)" y="\#(y)" width="\#(cell)" height="\#(cell)" "#
            + #"fill="\#(colour(share))"><title>\#(escape(tooltip))</title></rect>"#)
        lines.append(
          #"<text class="count" x="\#(x + cell / 2)" y="\#(y + cell / 2)" text-anchor="middle" "#
            + #"dominant-baseline="middle" fill="\#(share > 0.5 ? "white" : "black")">"#
            + "\(count)</text>")
      }
    }
    lines.append("</svg>")
    return lines.joined(separator: "\n") + "\n"
  }

  /// `#rrggbb` between `light` (share 0) and `dark` (share 1).
  static func colour(_ share: Double) -> String {
    let channels = [(light.0, dark.0), (light.1, dark.1), (light.2, dark.2)].map { low, high in
      Int((Double(low) + share * Double(high - low)).rounded())
    }
    return "#" + channels.map { String(format: "%02x", $0) }.joined()
  }

  /// `text` with XML's five special characters replaced by entities, and control characters
  /// (below U+0020, most of which XML 1.0 cannot hold) by U+FFFD.
  static func escape(_ text: String) -> String {
    var escaped = ""
    for character in text {
      switch character {
      case "&": escaped += "&amp;"
      case "<": escaped += "&lt;"
      case ">": escaped += "&gt;"
      case "\"": escaped += "&quot;"
      case "'": escaped += "&apos;"
      case _ where character.unicodeScalars.contains(where: { $0.value < 0x20 }):
        escaped += "\u{FFFD}"
      default: escaped.append(character)
      }
    }
    return escaped
  }
}
