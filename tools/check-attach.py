"""Attached models against onnxruntime: see tools/check-attach.

For each trunk, Graft extracts features (train and test data), trains each head kind, attaches
it; then onnx.checker checks the attached model and onnxruntime runs it on the test inputs, and
its probabilities must equal onnxruntime's run of the head alone on Graft's cached test features
within 1e-4 · max(1, max |expected|).
"""
import argparse
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import onnx
import onnxruntime as ort

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_extract  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADS = ["logistic", "svm", "ridge", "mlp"]


def run(graft, *arguments):
    subprocess.run([graft, *arguments], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def session(path):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def check(graft, name, trunk, extract_arguments, inputs, work):
    """Trains every head on `trunk`'s features and compares the attached models."""
    train, test = os.path.join(work, f"{name}_train.h5"), os.path.join(work, f"{name}_test.h5")
    run(graft, "extract", trunk, *extract_arguments("train"), "-o", train, "--quiet")
    run(graft, "extract", trunk, *extract_arguments("test"), "-o", test, "--quiet")
    with h5py.File(test) as cache:
        layer = cache.attrs["layers"][0]
        layer = layer.decode() if isinstance(layer, bytes) else layer
        features = cache[f"features/{layer.lstrip('/')}"][:].astype("float32")
    failures = 0
    for head in HEADS:
        head_path = os.path.join(work, f"{name}_{head}.onnx")
        attached = os.path.join(work, f"{name}_{head}_attached.onnx")
        run(graft, "train-head", train, "--head", head, "--cv", "2", "-o", head_path)
        run(graft, "attach", trunk, head_path, "-o", attached)
        onnx.checker.check_model(onnx.load(attached), full_check=True)
        expected = session(head_path).run(None, {"features": features.reshape(len(features), -1)})[0]
        model = session(attached)
        actual = model.run(None, {model.get_inputs()[0].name: inputs})[0]
        worst = float(np.abs(actual - expected).max())
        tolerance = 1e-4 * max(1.0, float(np.abs(expected).max()))
        ok = actual.shape == expected.shape and worst <= tolerance
        failures += not ok
        print(f"{name:>8} {head:<8} checker ok  max |attached - head(features)| = {worst:.2e}"
              f"  {'ok' if ok else 'FAIL'}")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--graft", required=True)
    args = parser.parse_args()
    graft = os.path.abspath(args.graft)
    failures = 0
    with tempfile.TemporaryDirectory() as work:
        extract = os.path.join(ROOT, "fixtures/extract")
        images = os.path.join(extract, "images")
        _, paths, _, _ = reference_extract.list_images(images)
        inputs = np.stack([reference_extract.preprocess(p, "torch", 32, "nchw") for p in paths])
        failures += check(
            graft, "onnx", os.path.join(extract, "model.onnx"),
            lambda split: [images, "--layer", "block2", "--preset", "torch"], inputs, work)
        demo = os.path.join(ROOT, "fixtures/demo")
        failures += check(
            graft, "keras", os.path.join(demo, "trunk.h5"),
            lambda split: [os.path.join(demo, f"{split}.npy"), "--labels",
                           os.path.join(demo, f"{split}_labels.npy"), "--layer", "features"],
            np.load(os.path.join(demo, "test.npy")), work)
    print("all attached models agree" if not failures else f"{failures} FAILED")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
