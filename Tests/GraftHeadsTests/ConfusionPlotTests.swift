import Foundation
import GraftHeads
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The elements of a parsed document in order, with their attributes and text.
private final class ElementCollector: NSObject, XMLParserDelegate {
  var elements: [(name: String, attributes: [String: String], text: String)] = []
  private var open: [Int] = []

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
    qualifiedName: String?, attributes: [String: String]
  ) {
    open.append(elements.count)
    elements.append((name, attributes, ""))
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if let last = open.last { elements[last].text += string }
  }

  func parser(
    _ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?
  ) {
    open.removeLast()
  }
}

private let metrics = ClassificationMetrics(
  trueLabels: [0, 0, 0, 1, 1, 2], predicted: [0, 0, 0, 1, 2, 2],
  classNames: ["a & b", "<x>", "plain"])

@Test func svgIsWellFormedWithOneShadedCellPerPair() throws {
  let svg = ConfusionPlot.svg(metrics)
  let collector = ElementCollector()
  let parser = XMLParser(data: Data(svg.utf8))
  parser.delegate = collector
  #expect(parser.parse(), "\(parser.parserError.map(String.init(describing:)) ?? "")")
  let elements = collector.elements
  #expect(elements.first?.name == "svg")
  #expect(elements.first?.attributes["xmlns"] == "http://www.w3.org/2000/svg")
  let cells = elements.filter { $0.name == "rect" && $0.attributes["class"] == "cell" }
  #expect(cells.count == 9)
  // Row "a & b" is all on the diagonal: darkest there, lightest beside it.
  #expect(cells.prefix(3).map { $0.attributes["fill"] } == ["#08306b", "#f7fbff", "#f7fbff"])
  #expect(cells[4].attributes["fill"] == "#8096b5")  // 1 of 2: halfway, rounded
  let counts = elements.filter { $0.attributes["class"] == "count" }.map(\.text)
  #expect(counts == ["3", "0", "0", "0", "1", "1", "0", "0", "1"])
  let texts = elements.filter { $0.name == "text" }.map(\.text)
  #expect(texts.filter { $0 == "a & b" }.count == 2 && texts.filter { $0 == "<x>" }.count == 2)
  #expect(texts[0].contains("accuracy 0.8333"))
  #expect(svg.contains("a &amp; b") && svg.contains("&lt;x&gt;") && !svg.contains("<x>"))
}
