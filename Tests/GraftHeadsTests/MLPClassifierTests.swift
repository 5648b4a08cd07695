import Foundation
import GraftIR
import Testing

@testable import GraftHeads

/// Points uniform in `[-1, 1]²` away from the axes, labelled by the XOR of their signs: no
/// straight line separates the classes.
private func xorData(rows: Int, seed: UInt64) -> TrainingSet {
  var rng = SplitMix64(seed: seed)
  var features: [Float] = []
  var labels: [Int32] = []
  while labels.count < rows {
    let (x, y) = (Float.random(in: -1...1, using: &rng), Float.random(in: -1...1, using: &rng))
    guard abs(x) > 0.1 && abs(y) > 0.1 else { continue }
    features += [x, y]
    labels.append((x > 0) == (y > 0) ? 1 : 0)
  }
  return TrainingSet(features: features, rows: rows, columns: 2, labels: labels, classCount: 2)
}

/// `columns`-dimensional Gaussian blobs, one per class, centred `spread` apart along the axes;
/// `counts[c]` rows of class c.
private func blobs(counts: [Int], columns: Int, spread: Float, seed: UInt64) -> TrainingSet {
  var rng = SplitMix64(seed: seed)
  var features: [Float] = []
  var labels: [Int32] = []
  for (label, count) in counts.enumerated() {
    for _ in 0..<count {
      for column in 0..<columns {
        let centre: Float = column % counts.count == label ? spread : 0
        let (u, v) = (
          Float.random(in: 0.001..<1, using: &rng), Float.random(in: 0..<1, using: &rng)
        )
        features.append(centre + (-2 * log(u)).squareRoot() * cos(2 * .pi * v))
      }
      labels.append(Int32(label))
    }
  }
  return TrainingSet(
    features: features, rows: labels.count, columns: columns, labels: labels,
    classCount: counts.count)
}

/// The most probable class of every row under `layers`, computed here from the documented
/// layout (weights `[outputs][inputs]`, ReLU between layers) rather than by the trainer.
private func predict(_ layers: [FittedHead.Dense], _ data: TrainingSet) -> [Int32] {
  (0..<data.rows).map { row in
    var values = Array(data.features[(row * data.columns)..<((row + 1) * data.columns)])
    for (index, layer) in layers.enumerated() {
      values = (0..<layer.outputs).map { unit in
        var sum = layer.bias[unit]
        for input in 0..<layer.inputs {
          sum += layer.weights[unit * layer.inputs + input] * values[input]
        }
        return index < layers.count - 1 ? max(sum, 0) : sum
      }
    }
    return Int32(values.indices.max { values[$0] < values[$1] }!)
  }
}

private func accuracy(_ predicted: [Int32], _ data: TrainingSet) -> Double {
  Double(zip(predicted, data.labels).filter { $0 == $1 }.count) / Double(data.rows)
}

/// The best accuracy of any rule "class 1 on one side of a line" over 72 directions and 21
/// offsets: what a linear head could reach at most (up to the grid).
private func bestLinearAccuracy(_ data: TrainingSet) -> Double {
  var best = 0
  for degree in stride(from: 0, to: 360, by: 5) {
    let angle = Float(degree) * .pi / 180
    let projections = (0..<data.rows).map { row in
      cos(angle) * data.features[2 * row] + sin(angle) * data.features[2 * row + 1]
    }
    for step in -10...10 {
      let offset = Float(step) / 10
      var correct = 0
      for (projection, label) in zip(projections, data.labels)
      where (projection > offset) == (label == 1) {
        correct += 1
      }
      best = max(best, correct)
    }
  }
  return Double(best) / Double(data.rows)
}

@Test(arguments: [[32], [16, 16]])
func learnsXORThatNoLineSeparates(hiddenLayers: [Int]) throws {
  let train = xorData(rows: 800, seed: 1)
  let test = xorData(rows: 400, seed: 2)
  let fit = try MLPClassifier(hiddenLayers: hiddenLayers).fit(
    train, c: 1e4, options: HeadFitOptions(seed: 3, maxIterations: 400), warmStart: nil)
  #expect(fit.layers.map(\.outputs) == hiddenLayers + [2])
  #expect(accuracy(predict(fit.layers, test), test) > 0.95)
}

/// What the MLP's accuracy on that data is measured against: no straight line reaches 80%.
@Test func noLineSeparatesTheXORData() {
  #expect(bestLinearAccuracy(xorData(rows: 400, seed: 2)) < 0.8)
}

@Test func sameSeedGivesIdenticalWeightsAndAnotherSeedDoesNot() throws {
  let data = blobs(counts: [60, 60, 60], columns: 5, spread: 2, seed: 4)
  let mlp = MLPClassifier(hiddenLayers: [20])
  let options = HeadFitOptions(seed: 9, maxIterations: 20)
  let first = try mlp.fit(data, c: 10, options: options, warmStart: nil)
  let second = try mlp.fit(data, c: 10, options: options, warmStart: nil)
  var reseeded = options
  reseeded.seed = 10
  let other = try mlp.fit(data, c: 10, options: reseeded, warmStart: nil)
  #expect(first.layers == second.layers && first.iterations == second.iterations)
  #expect(first.layers != other.layers)
}

/// 150 inputs and hidden layers of 100 and 70 units make every product several column blocks.
@Test func threadCountDoesNotChangeWeights() throws {
  let data = blobs(counts: [100, 120, 80], columns: 150, spread: 0.5, seed: 5)
  let mlp = MLPClassifier(hiddenLayers: [100, 70], batchSize: 64)
  let fits = try [1, 2, 3].map { threads in
    try mlp.fit(
      data, c: 1, options: HeadFitOptions(seed: 6, maxIterations: 4, threads: threads),
      warmStart: nil)
  }
  #expect(fits[0].layers == fits[1].layers && fits[0].layers == fits[2].layers)
  #expect(fits.allSatisfy { $0.iterations == 4 })
}

/// On overlapping classes with 9 rows in 10 of class 0, balanced class weights move the
/// boundary toward class 0: more rows are called class 1 and more of class 1 is found.
@Test func balancedClassWeightsShiftPredictionsTowardTheRareClass() throws {
  let data = blobs(counts: [900, 100], columns: 2, spread: 1.5, seed: 7)
  let mlp = MLPClassifier(hiddenLayers: [16], earlyStopping: false)
  var options = HeadFitOptions(seed: 8, maxIterations: 30)
  let plain = predict(try mlp.fit(data, c: 1, options: options, warmStart: nil).layers, data)
  options.classWeights = [1000 / (2 * 900), 1000 / (2 * 100)]
  let weighted = predict(try mlp.fit(data, c: 1, options: options, warmStart: nil).layers, data)
  let rareFound = { (predicted: [Int32]) in
    zip(predicted, data.labels).filter { $0 == 1 && $1 == 1 }.count
  }
  #expect(weighted.filter { $0 == 1 }.count > 2 * plain.filter { $0 == 1 }.count)
  #expect(rareFound(weighted) > rareFound(plain) + 20)
}

/// Separable data reach their best validation accuracy early; training stops exactly
/// `iterationsWithoutChange + 1` epochs later and returns the best epoch's weights, the ones a
/// run cut off at that epoch ends with.
@Test func earlyStoppingStopsEarlyAndKeepsTheBestEpoch() throws {
  let data = blobs(counts: [150, 150], columns: 4, spread: 5, seed: 11)
  let mlp = MLPClassifier(hiddenLayers: [8])
  let report = try mlp.train(data, c: 1e4, options: HeadFitOptions(seed: 12, maxIterations: 200))
  let accuracies = report.validationAccuracies
  #expect(report.converged && report.iterations < 200)
  #expect(accuracies.count == report.iterations)
  #expect(report.iterations == report.bestEpoch + 11)
  #expect(accuracies.firstIndex(of: accuracies.max()!) == report.bestEpoch - 1)
  let cut = try mlp.train(
    data, c: 1e4, options: HeadFitOptions(seed: 12, maxIterations: report.bestEpoch))
  #expect(cut.layers == report.layers)
  #expect(cut.losses == Array(report.losses.prefix(report.bestEpoch)))
}

@Test func withoutStoppingRuleFiringTheFitIsNotConverged() throws {
  let data = blobs(counts: [40, 40], columns: 3, spread: 1, seed: 13)
  let mlp = MLPClassifier(hiddenLayers: [8], earlyStopping: false)
  let report = try mlp.train(data, c: 1, options: HeadFitOptions(seed: 14, maxIterations: 3))
  #expect(!report.converged && report.iterations == 3 && report.bestEpoch == 3)
  #expect(report.validationAccuracies.isEmpty && report.losses.count == 3)
  #expect(report.losses[2] < report.losses[0])
}

/// Backpropagation against central differences of the loss, for one and two hidden layers,
/// with row weights and the L2 penalty.
@Test(arguments: [[3, 4, 3], [3, 5, 4, 3]])
func gradientsMatchFiniteDifferences(sizes: [Int]) {
  var rng = SplitMix64(seed: 15)
  let rows = 6
  let data = TrainingSet(
    features: (0..<(rows * 3)).map { _ in Float.random(in: -2...2, using: &rng) }, rows: rows,
    columns: 3, labels: [0, 1, 2, 2, 1, 0], classCount: 3)
  let network = MLPNetwork(sizes: sizes, capacity: rows, threads: 1, rng: &rng)
  network.load(data, rows: Array(0..<rows)[...])
  let weights: [Float] = [1, 2, 0.5, 1, 3, 1]
  let loss = {
    network.lossAndGradients(rows: rows, labels: data.labels, rowWeights: weights, alpha: 0.3)
  }
  _ = loss()
  let analytic = Array(
    UnsafeBufferPointer(start: network.gradients.base, count: network.gradients.count))
  // Small enough that no ReLU input crosses zero between the two evaluations.
  let step: Float = 1e-3
  for index in 0..<network.parameters.count {
    let original = network.parameters.base[index]
    network.parameters.base[index] = original + step
    let above = loss()
    network.parameters.base[index] = original - step
    let below = loss()
    network.parameters.base[index] = original
    let numeric = (above - below) / Double(2 * step)
    #expect(abs(numeric - Double(analytic[index])) < 2e-3, "parameter \(index)")
  }
}

/// 10 of 100 rows held out: 7, 2 and 1 from classes of 70, 20 and 9 rows (the last by the
/// largest remainder), none from a class of one row; the same seed holds out the same rows.
@Test func validationSplitIsStratifiedAndSeeded() {
  let labels: [Int32] =
    Array(repeating: 0, count: 70) + Array(repeating: 1, count: 20) + Array(repeating: 2, count: 9)
    + [3]
  let split = { (seed: UInt64) in
    var rng = SplitMix64(seed: seed)
    return StratifiedSplit(labels: labels, classCount: 4, fraction: 0.1, rng: &rng)
  }
  let first = split(1)
  #expect(
    (0..<4).map { label in first.validation.filter { labels[$0] == label }.count } == [7, 2, 1, 0])
  #expect((first.training + first.validation).sorted() == Array(0..<100))
  #expect(split(1).validation == first.validation && split(2).validation != first.validation)
}

/// With the output layer reduced to biases `log [1, 2, 3]` the class probabilities are
/// `[1, 2, 3] / 6` for every row; a first-layer weight of 2 adds only its penalty `alpha/2 · 4`.
@Test func lossIsWeightedCrossEntropyPlusPenalty() {
  var rng = SplitMix64(seed: 16)
  let data = TrainingSet(
    features: (0..<18).map { Float($0) }, rows: 6, columns: 3, labels: [0, 1, 2, 2, 1, 0],
    classCount: 3)
  let network = MLPNetwork(sizes: [3, 4, 3], capacity: 6, threads: 1, rng: &rng)
  // Layout: W1 [4][3] at 0, b1 at 12, W2 [3][4] at 16, b2 at 28.
  network.parameters.base.update(repeating: 0, count: network.parameters.count)
  network.parameters.base[0] = 2
  for unit in 0..<3 { network.parameters.base[28 + unit] = log(Float(unit + 1)) }
  network.load(data, rows: Array(0..<6)[...])
  let weights: [Float] = [1, 2, 0.5, 1, 3, 1]
  let loss = network.lossAndGradients(
    rows: 6, labels: data.labels, rowWeights: weights, alpha: 0.3)
  let crossEntropy = zip(weights, data.labels).map { weight, label in
    -Double(weight) * log(Double(label + 1) / 6)
  }
  let expected = (crossEntropy.reduce(0, +) + 0.3 / 2 * 4) / 6
  #expect(abs(loss - expected) < 1e-6 * expected)
}

/// The cross-validation driver takes the MLP like any head: it picks a `C`, leaves the
/// temperature at 1 and the exported head separates XOR.
@Test func crossValidationDriverTrainsTheMLP() throws {
  let (head, report) = try HeadTraining.train(
    trainer: MLPClassifier(hiddenLayers: [32]), data: xorData(rows: 600, seed: 17),
    grid: [1, 1e4], folds: 3, options: HeadFitOptions(seed: 18, maxIterations: 400),
    classWeighting: .balanced)
  let test = xorData(rows: 400, seed: 19)
  let standardized = TrainingSet(
    features: test.features.enumerated().map { index, value in
      (value - head.mean[index % 2]) / head.scale[index % 2]
    }, rows: test.rows, columns: 2, labels: test.labels, classCount: 2)
  #expect(head.temperature == 1 && head.layers.count == 2)
  #expect(report.fits.count == 2 * 3 + 1)
  #expect(accuracy(predict(head.layers, standardized), test) > 0.95)
}
