import Foundation
import GraftHeads
import Testing

/// Four rows: both cats found, one of the two dogs called a cat.
private let petMetrics = ClassificationMetrics(
  trueLabels: [0, 0, 1, 1], predicted: [0, 0, 0, 1], classNames: ["cat", "dog"])

@Test func handComputedScores() {
  let metrics = petMetrics
  #expect(metrics.accuracy == 0.75 && metrics.rows == 4)
  #expect(metrics.confusion == [[2, 0], [1, 1]])
  // cat: tp 2 of 3 predicted and 2 true; dog: tp 1 of 1 predicted and 2 true.
  #expect(metrics.perClass.map(\.precision) == [2.0 / 3, 1])
  #expect(metrics.perClass.map(\.recall) == [1, 0.5])
  #expect(metrics.perClass.map(\.f1) == [0.8, 2.0 / 3])
  #expect(metrics.perClass.map(\.support) == [2, 2])
  #expect(metrics.macroF1 == (0.8 + 2.0 / 3) / 2)
}

@Test func textAlignsTheTableAndTheConfusionMatrix() {
  #expect(
    petMetrics.text == """
      class  precision  recall  f1-score  support
      cat       0.6667  1.0000    0.8000        2
      dog       1.0000  0.5000    0.6667        2

      accuracy 0.7500 on 4 rows, macro F1 0.7333

      confusion matrix (rows: true class, columns: predicted class)
           cat  dog
      cat    2    0
      dog    1    1

      """)
}

/// A class that never occurs scores 0 everywhere and is left out of the macro average; no
/// rows at all give zeros, not NaN.
@Test func zeroDivisionGivesZero() {
  let metrics = ClassificationMetrics(
    trueLabels: [0, 1], predicted: [0, 1], classNames: ["a", "b", "unused"])
  #expect(metrics.perClass[2] == .init(name: "unused", precision: 0, recall: 0, f1: 0, support: 0))
  #expect(metrics.macroF1 == 1 && metrics.accuracy == 1)
  let empty = ClassificationMetrics(trueLabels: [], predicted: [], classNames: ["a", "b"])
  #expect(empty.accuracy == 0 && empty.macroF1 == 0 && empty.confusion == [[0, 0], [0, 0]])
}

@Test func jsonUsesTheDocumentedKeysAndRoundTrips() throws {
  let data = try JSONEncoder().encode(petMetrics)
  let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  #expect(Set(object.keys) == ["accuracy", "macro_f1", "per_class", "confusion"])
  let perClass = try #require(object["per_class"] as? [[String: Any]])
  #expect(
    perClass.map { Set($0.keys) }
      == Array(repeating: ["name", "precision", "recall", "f1", "support"], count: 2))
  #expect(perClass.map { $0["name"] as? String } == ["cat", "dog"])
  #expect(object["confusion"] as? [[Int]] == [[2, 0], [1, 1]])
  #expect(try JSONDecoder().decode(ClassificationMetrics.self, from: data) == petMetrics)
}

/// One case of `fixtures/heads_metrics/cases.json` (see its generate.py).
private struct ReferenceCase: Decodable {
  var name: String
  var `true`: [Int32]
  var predicted: [Int32]
  var classes: [String]
  var accuracy: Double
  var macroF1: Double
  var precision: [Double]
  var recall: [Double]
  var f1: [Double]
  var support: [Int]
  var confusion: [[Int]]
}

@Test func matchesScikitLearn() throws {
  let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("fixtures/heads_metrics/cases.json")
  let decoder = JSONDecoder()
  decoder.keyDecodingStrategy = .convertFromSnakeCase
  let cases = try decoder.decode([ReferenceCase].self, from: Data(contentsOf: file))
  #expect(cases.count == 5)
  for reference in cases {
    let metrics = ClassificationMetrics(
      trueLabels: reference.true, predicted: reference.predicted, classNames: reference.classes)
    let comment = Comment(rawValue: reference.name)
    #expect(metrics.accuracy == reference.accuracy, comment)
    #expect(metrics.macroF1 == reference.macroF1, comment)
    #expect(metrics.perClass.map(\.precision) == reference.precision, comment)
    #expect(metrics.perClass.map(\.recall) == reference.recall, comment)
    #expect(metrics.perClass.map(\.f1) == reference.f1, comment)
    #expect(metrics.perClass.map(\.support) == reference.support, comment)
    #expect(metrics.confusion == reference.confusion, comment)
    #expect(metrics.classNames == reference.classes, comment)
  }
}
