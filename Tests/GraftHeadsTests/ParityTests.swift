import GraftHeads
import Testing

/// Cross-validated logistic regression picks scikit-learn's C, with its CV and validation
/// accuracies within half a point.
@Test func logisticRegressionMatchesGridSearch() throws {
  let fixture = try HeadsFixture()
  let options = HeadFitOptions(maxIterations: 5000, tolerance: 1e-6)
  let (head, report) = try HeadTraining.train(
    trainer: LogisticRegression(), data: fixture.training, grid: fixture.expected.grid,
    folds: fixture.expected.folds, options: options)
  #expect(report.chosenC == fixture.expected.logistic.chosenC)
  #expect(report.converged)
  for (ours, theirs) in zip(report.meanAccuracies, fixture.expected.logistic.cvMeanAccuracy) {
    #expect(abs(ours - theirs) <= 0.005)
  }
  #expect(
    abs(head.accuracy(on: fixture.validation) - fixture.expected.logistic.valAccuracy) <= 0.005)
  #expect(head.temperature == 1)
}

/// With balanced class weights the coefficients are LogisticRegression's.
@Test func balancedLogisticCoefficientsMatch() throws {
  let fixture = try HeadsFixture()
  let data = Standardizer(fitting: fixture.training).apply(to: fixture.training)
  var options = HeadFitOptions(maxIterations: 5000, tolerance: 1e-7)
  options.classWeights = ClassWeighting.balanced.weights(classCounts: data.classCounts)
  let fit = try LogisticRegression().fit(
    data, c: fixture.expected.logistic.balancedC, options: options, warmStart: nil)
  #expect(fit.converged)
  let coef = try HeadsFixture.array("logistic_balanced_coef").values
  let intercept = try HeadsFixture.array("logistic_balanced_intercept").values
  #expect(relativeError(fit.layers[0].weights.map(Double.init), coef) < 1e-4)
  #expect(relativeError(fit.layers[0].bias.map(Double.init), intercept) < 1e-4)
}

/// Ridge coefficients and intercepts are RidgeClassifier's at α = 1/(2C).
@Test func ridgeMatchesRidgeClassifier() throws {
  let fixture = try HeadsFixture()
  let data = Standardizer(fitting: fixture.training).apply(to: fixture.training)
  #expect(RidgeClassifier.alpha(c: fixture.expected.ridge.c) == fixture.expected.ridge.alpha)
  let fit = try RidgeClassifier().fit(
    data, c: fixture.expected.ridge.c, options: HeadFitOptions(), warmStart: nil)
  let coef = try HeadsFixture.array("ridge_coef").values
  let intercept = try HeadsFixture.array("ridge_intercept").values
  #expect(relativeError(fit.layers[0].weights.map(Double.init), coef) < 1e-4)
  #expect(relativeError(fit.layers[0].bias.map(Double.init), intercept) < 1e-4)
}

/// With two classes the scores are sklearn's single score s expanded to (−s, s).
@Test func binaryRidgeExpandsToTwoScores() throws {
  let fixture = try HeadsFixture()
  let pair = fixture.training.labels.indices.filter { fixture.training.labels[$0] < 2 }
  var subset = fixture.training.subset(pair)
  subset.classCount = 2
  let data = Standardizer(fitting: subset).apply(to: subset)
  let fit = try RidgeClassifier().fit(
    data, c: fixture.expected.ridge.c, options: HeadFitOptions(), warmStart: nil)
  let coef = try HeadsFixture.array("ridge_binary_coef").values
  let intercept = try HeadsFixture.array("ridge_binary_intercept").values[0]
  let layer = fit.layers[0]
  #expect(relativeError(layer.weights[data.columns...].map(Double.init), coef) < 1e-4)
  #expect(relativeError(layer.weights[..<data.columns].map { -Double($0) }, coef) < 1e-4)
  #expect(abs(Double(layer.bias[1]) - intercept) < 1e-4 * abs(intercept))
  #expect(layer.bias[0] == -layer.bias[1])
}

/// The squared-hinge SVM's validation accuracy is within a point of LinearSVC's.
@Test func linearSVMMatchesLinearSVCAccuracy() throws {
  let fixture = try HeadsFixture()
  let scaler = Standardizer(fitting: fixture.training)
  let fit = try LinearSVM().fit(
    scaler.apply(to: fixture.training), c: fixture.expected.svm.c,
    options: HeadFitOptions(maxIterations: 5000, tolerance: 1e-6), warmStart: nil)
  #expect(fit.converged)
  let head = FittedHead(mean: scaler.mean, scale: scaler.scale, layers: fit.layers)
  #expect(abs(head.accuracy(on: fixture.validation) - fixture.expected.svm.valAccuracy) <= 0.01)
}
