"""Writes fixtures/heads/: a small cached-feature set and scikit-learn's results on it.

The features are a seeded Gaussian mixture (5 imbalanced classes, 32 non-negative features, 600
training rows in class-interleaved random order, 200 validation rows). The tests in
Tests/GraftHeadsTests compare Graft's heads with what scikit-learn 1.9 computes here:

  folds.npy              StratifiedKFold(5, shuffle=False) test fold of every training row
  standard_mean.npy,     StandardScaler's mean_ and scale_ on the training rows
  standard_scale.npy
  expected.json          logistic: GridSearchCV over Pipeline(StandardScaler, LogisticRegression
                         lbfgs) with those folds -> mean CV accuracy per C, chosen C, validation
                         accuracy of the refit; and the coefficients at C = 1 with
                         class_weight="balanced" (logistic_balanced_coef.npy / _intercept.npy);
                         ridge: RidgeClassifier(alpha) on standardised rows, multiclass and the
                         binary subset of classes 0 and 1 (ridge_*.npy); svm: LinearSVC(C)
                         validation accuracy on standardised rows
All references run in float64 on the float32 features with tight tolerances.
"""

import json
import pathlib

import numpy as np
from sklearn.linear_model import LogisticRegression, RidgeClassifier
from sklearn.model_selection import GridSearchCV, PredefinedSplit, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

OUT = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "heads"
GRID = [0.001, 0.01, 0.1, 1.0, 10.0]
RIDGE_C = 0.5  # alpha = 1 / (2 C) = 1
SVM_C = 0.1


def mixture(rng, centres, counts, spread):
    labels = np.concatenate([np.full(n, k) for k, n in enumerate(counts)])
    rng.shuffle(labels)
    features = centres[labels] + spread * rng.standard_normal((len(labels), centres.shape[1]))
    return np.maximum(features, 0).astype(np.float32), labels.astype(np.int64)


def save(name, array):
    np.save(OUT / f"{name}.npy", np.ascontiguousarray(array))


def main():
    rng = np.random.default_rng(7)
    centres = rng.uniform(0.0, 1.5, size=(5, 32))
    x, y = mixture(rng, centres, [210, 150, 120, 75, 45], 1.1)
    vx, vy = mixture(rng, centres, [70, 50, 40, 25, 15], 1.1)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, array in [("train_x", x), ("train_y", y), ("val_x", vx), ("val_y", vy)]:
        save(name, array)

    folds = np.empty(len(y), dtype=np.int64)
    for fold, (_, test) in enumerate(StratifiedKFold(5).split(x, y)):
        folds[test] = fold
    save("folds", folds)

    x64, vx64 = x.astype(np.float64), vx.astype(np.float64)
    scaler = StandardScaler().fit(x64)
    save("standard_mean", scaler.mean_)
    save("standard_scale", scaler.scale_)
    xs, vxs = scaler.transform(x64), scaler.transform(vx64)

    pipeline = make_pipeline(StandardScaler(), LogisticRegression(max_iter=10000, tol=1e-10))
    search = GridSearchCV(
        pipeline, {"logisticregression__C": GRID}, cv=PredefinedSplit(folds), scoring="accuracy"
    ).fit(x64, y)
    means = search.cv_results_["mean_test_score"]
    ordered = np.sort(means)
    balanced = LogisticRegression(C=1.0, class_weight="balanced", max_iter=10000, tol=1e-10)
    balanced.fit(xs, y)
    save("logistic_balanced_coef", balanced.coef_)
    save("logistic_balanced_intercept", balanced.intercept_)

    ridge = RidgeClassifier(alpha=1 / (2 * RIDGE_C), solver="cholesky").fit(xs, y)
    save("ridge_coef", ridge.coef_)
    save("ridge_intercept", ridge.intercept_)
    pair = y < 2
    binary_scaler = StandardScaler().fit(x64[pair])
    binary = RidgeClassifier(alpha=1 / (2 * RIDGE_C), solver="cholesky")
    binary.fit(binary_scaler.transform(x64[pair]), y[pair])
    save("ridge_binary_coef", binary.coef_)
    save("ridge_binary_intercept", binary.intercept_)

    svm = LinearSVC(C=SVM_C, tol=1e-8, max_iter=100000).fit(xs, y)

    expected = {
        "grid": GRID,
        "folds": 5,
        "logistic": {
            "cv_mean_accuracy": means.tolist(),
            "chosen_c": search.best_params_["logisticregression__C"],
            "margin_to_runner_up": float(ordered[-1] - ordered[-2]),
            "val_accuracy": float(search.score(vx64, vy)),
            "balanced_c": 1.0,
        },
        "ridge": {"c": RIDGE_C, "alpha": 1 / (2 * RIDGE_C)},
        "svm": {"c": SVM_C, "val_accuracy": float(svm.score(vxs, vy))},
    }
    (OUT / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    print(json.dumps(expected, indent=1))


if __name__ == "__main__":
    main()
