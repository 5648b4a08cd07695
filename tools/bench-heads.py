"""Times cross-validated logistic regression: `graft train-head` against scikit-learn.

Data: a seeded Gaussian mixture of 100 classes in 1,280 non-negative float32 features (a
ReLU-clipped mixture, like pooled CNN features), --rows training rows and --rows/4 validation
rows, written as feature caches in Graft's layout (h5py) in --workdir.

Both sides fit multinomial logistic regression (L2, tol 1e-4) on standardised features with
3-fold stratified cross-validation over --C, pick the C of best mean held-out accuracy, refit on
all training rows and score the validation rows:
  scikit-learn   StratifiedKFold(3) folds; for each C and fold, Pipeline(StandardScaler,
                 LogisticRegression(lbfgs, max_iter 1000)); the winner refitted the same way
  Graft          graft train-head TRAIN.h5 --head logistic --cv 3 --C ... --val VAL.h5 --json
Runs alternate (graft, sklearn, graft, ...) for --repeats rounds so both see the same machine
load; prints each run, the best time of each side, both accuracies and the speed ratio.
"""

import argparse
import json
import pathlib
import subprocess
import sys
import time

import h5py
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

CLASSES, FEATURES, LAYER = 100, 1280, "pooled"


def mixture(rows, seed):
    """Rows of the mixture: class centres shared by every split, noise from `seed`."""
    centres_rng = np.random.default_rng(1234)
    base = centres_rng.uniform(0.0, 1.0, FEATURES)
    centres = base + 0.12 * centres_rng.standard_normal((CLASSES, FEATURES))
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, CLASSES, rows)
    features = centres[labels] + rng.standard_normal((rows, FEATURES))
    return np.maximum(features, 0).astype(np.float32), labels.astype(np.int64)


def write_cache(path, features, labels):
    with h5py.File(path, "w") as f:
        f.create_dataset(f"features/{LAYER}", data=features)
        f.create_dataset("labels", data=labels)
        strings = h5py.string_dtype()
        names = np.array([f"class{k:03d}" for k in range(CLASSES)], dtype=object)
        f.create_dataset("label_names", data=names, dtype=strings)
        ids = np.array([f"row{i:06d}" for i in range(len(labels))], dtype=object)
        f.create_dataset("ids", data=ids, dtype=strings)
        f.attrs["model_sha256"] = "0" * 64
        f.attrs["layers"] = np.array([LAYER], dtype=object)
        f.attrs["preprocessing"] = "synthetic Gaussian mixture (tools/bench-heads.py)"
        f.attrs["pool"] = "none"
        f.attrs["graft_version"] = "bench"
        f.attrs["rows_complete"] = len(labels)


def fit(x, y, c):
    model = make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=1000, tol=1e-4))
    return model.fit(x, y)


def sklearn_run(x, y, vx, vy, grid):
    start = time.perf_counter()
    folds = list(StratifiedKFold(3).split(x, y))
    scores = [[fit(x[tr], y[tr], c).score(x[te], y[te]) for tr, te in folds] for c in grid]
    means = [float(np.mean(s)) for s in scores]
    best = grid[int(np.argmax(means))]
    val = fit(x, y, best).score(vx, vy)
    return {"seconds": time.perf_counter() - start, "C": best, "cv_scores": scores,
            "val_accuracy": float(val)}


def graft_run(graft, train, val, grid):
    command = [graft, "train-head", str(train), "--head", "logistic", "--cv", "3", "--C",
               ",".join(str(c) for c in grid), "--val", str(val), "--json", "-o",
               str(train.with_suffix(".onnx"))]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stderr}")
    report = json.loads(result.stdout)
    report["wall_seconds"] = seconds
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graft", help="the graft binary (omit to time scikit-learn only)")
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--C", default="0.0001,0.001,0.01,0.1")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--workdir", default="/tmp/graft-bench-heads")
    parser.add_argument("--npy", action="store_true",
                        help="also write the sets as .npy (train_x, train_y, val_x, val_y)")
    args = parser.parse_args()
    grid = [float(c) for c in args.C.split(",")]
    work = pathlib.Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    x, y = mixture(args.rows, seed=1)
    vx, vy = mixture(args.rows // 4, seed=2)
    train, val = work / "train.h5", work / "val.h5"
    write_cache(train, x, y)
    write_cache(val, vx, vy)
    if args.npy:
        for name, array in [("train_x", x), ("train_y", y), ("val_x", vx), ("val_y", vy)]:
            np.save(work / f"{name}.npy", array)
    print(f"{args.rows} x {FEATURES} features, {CLASSES} classes, C grid {grid}, 3 folds")
    graft_times, sklearn_times = [], []
    ours = theirs = None
    for round_ in range(args.repeats):
        if args.graft:
            ours = graft_run(args.graft, train, val, grid)
            graft_times.append(ours["wall_seconds"])
            print(f"round {round_ + 1}: graft {ours['wall_seconds']:.1f} s, C {ours['C']}, "
                  f"val accuracy {ours['val_accuracy']:.4f}, converged {ours['converged']}")
        theirs = sklearn_run(x, y, vx, vy, grid)
        sklearn_times.append(theirs["seconds"])
        print(f"round {round_ + 1}: scikit-learn {theirs['seconds']:.1f} s, C {theirs['C']}, "
              f"val accuracy {theirs['val_accuracy']:.4f}")
    print(f"scikit-learn: best {min(sklearn_times):.1f} s, val accuracy "
          f"{theirs['val_accuracy']:.4f}, CV mean accuracy per C "
          f"{[round(float(np.mean(s)), 4) for s in theirs['cv_scores']]}")
    if args.graft:
        ratio = min(sklearn_times) / min(graft_times)
        gap = 100 * (ours["val_accuracy"] - theirs["val_accuracy"])
        print(f"graft: best {min(graft_times):.1f} s, val accuracy {ours['val_accuracy']:.4f} "
              f"({gap:+.2f} points)")
        print(f"speed-up: {ratio:.2f}x (target >= 3x at accuracy within 0.5 points)")


if __name__ == "__main__":
    main()
