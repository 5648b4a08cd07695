"""Attached models against onnxruntime: see tools/check-attach.

For each trunk, Graft extracts features (train and test data), trains each head kind, attaches
it; then onnx.checker checks the attached model and onnxruntime runs it on the test inputs, and
its probabilities must equal onnxruntime's run of the head alone on Graft's cached test features
within 1e-4 · max(1, max |expected|).

For the Keras trunk every head is also attached as a Keras .h5, which tf-keras and Keras 3 each
load (in a child process, since one process holds one Keras) and run on the test inputs; their
probabilities must equal the ONNX attached model's in onnxruntime within the same tolerance.
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


KERAS_PREDICT = """
import os, sys
import numpy as np
if sys.argv[1] == "tf-keras":
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    import tf_keras as keras
else:
    import keras
model = keras.models.load_model(sys.argv[2], compile=False)
np.save(sys.argv[4], np.asarray(model.predict(np.load(sys.argv[3]), verbose=0)))
"""


def keras_predictions(flavour, model, inputs, work):
    """Runs the Keras model at `model` on `inputs` with tf-keras or Keras 3 in a child Python."""
    inputs_path = os.path.join(work, "keras_inputs.npy")
    outputs_path = os.path.join(work, "keras_outputs.npy")
    np.save(inputs_path, inputs)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="")
    child = subprocess.run(
        [sys.executable, "-c", KERAS_PREDICT, flavour, model, inputs_path, outputs_path], env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if child.returncode:
        sys.exit(f"{flavour} could not run {model}:\n{child.stdout}")
    return np.load(outputs_path)


def compare(label, actual, expected):
    """Prints the max difference and returns whether it is within the tolerance."""
    worst = float(np.abs(actual - expected).max()) if actual.shape == expected.shape else np.inf
    tolerance = 1e-4 * max(1.0, float(np.abs(expected).max()))
    ok = worst <= tolerance
    print(f"{label}  max |difference| = {worst:.2e}  {'ok' if ok else 'FAIL'}")
    return ok


def check(graft, name, trunk, extract_arguments, inputs, work, keras=False):
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
        failures += not compare(
            f"{name:>8} {head:<8} checker ok  attached.onnx vs head(features)", actual, expected)
        if not keras:
            continue
        attached_h5 = os.path.join(work, f"{name}_{head}_attached.h5")
        run(graft, "attach", trunk, head_path, "-o", attached_h5)
        for flavour in ["tf-keras", "keras3"]:
            predicted = keras_predictions(flavour, attached_h5, inputs, work)
            failures += not compare(
                f"{name:>8} {head:<8} {flavour:<8}  attached.h5 vs attached.onnx", predicted, actual)
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
            np.load(os.path.join(demo, "test.npy")), work, keras=True)
    print("all attached models agree" if not failures else f"{failures} FAILED")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
