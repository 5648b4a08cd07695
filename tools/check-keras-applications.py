"""Graft against Keras on the real keras.applications models, end to end, for both Keras versions.

For each application (ResNet50, MobileNet, MobileNetV3Small, EfficientNetB0, DenseNet121, VGG16,
Xception, InceptionV3, InceptionResNetV2) and each Keras major version (2 = tf-keras, 3 = keras),
builds the model with weights=None at a small valid input size, gives it random but sane weights
(fixtures/keras/common.py's `randomize`: Keras-initialised kernels, random biases, BatchNorm
moving statistics measured on a calibration batch so activations stay near unit scale), saves it
as a legacy .h5 with a batch of 2 random inputs and Keras's predict on them in
${GRAFT_CACHE:-~/.cache/graft}/keras-apps/ (reused on later runs; --rebuild makes them anew), then
runs `graft run` on it and prints, per model and version, the max abs difference, the scale
max(1, max|reference|) and PASS when the difference is at most 1e-4 * scale. Graft's error is
printed verbatim when it refuses a model; --trace compares every layer of a failing model and
names the first that differs. Exits non-zero if anything fails.
Run through tools/check-keras-applications, which builds Graft in release mode.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "fixtures", "keras"))
import common  # noqa: E402

CACHE = os.path.join(os.environ.get("GRAFT_CACHE", os.path.expanduser("~/.cache/graft")),
                     "keras-apps")
TOLERANCE = 1e-4

# name: (keras.applications constructor, input size, include_top, input range). The input range
# is (0, 255) for models that preprocess inside (Rescaling / Normalization layers), else (-1, 1).
# Inception and Xception need at least 75x75 / 71x71, so they run at 75x75 without the top
# (their top would see a 1x1 map); the others keep their classifier with 10 classes.
MODELS = {
    "ResNet50": ("ResNet50", 64, True, (-1, 1)),
    "MobileNet": ("MobileNet", 64, True, (-1, 1)),
    "MobileNetV3Small": ("MobileNetV3Small", 64, True, (0, 255)),
    "EfficientNetB0": ("EfficientNetB0", 64, True, (0, 255)),
    "DenseNet121": ("DenseNet121", 64, True, (-1, 1)),
    "VGG16": ("VGG16", 64, True, (-1, 1)),
    "Xception": ("Xception", 75, False, (-1, 1)),
    "InceptionV3": ("InceptionV3", 75, False, (-1, 1)),
    "InceptionResNetV2": ("InceptionResNetV2", 75, False, (-1, 1)),
}


def build(keras, name):
    constructor, size, top, _ = MODELS[name]
    options = {"classes": 10} if top else {"include_top": False, "pooling": "avg"}
    return getattr(keras.applications, constructor)(
        weights=None, input_shape=(size, size, 3), **options)


def make_inputs(name, rng, count):
    _, size, _, (low, high) = MODELS[name]
    return rng.uniform(low, high, (count, size, size, 3)).astype("float32")


def paths(name, major):
    stem = os.path.join(CACHE, f"{name}_k{major}")
    return stem + ".h5", stem + ".input.npy", stem + ".output.npy"


def he_scale(model):
    """Scales Keras's Glorot-initialised kernels by sqrt(2) (He initialisation) in a ReLU network
    without BatchNorm (VGG16): Glorot halves the activations' second moment at every ReLU layer, so
    after 16 layers the input's contribution would vanish under the random biases and both samples
    would give the same output."""
    for layer in model.layers:
        weights = layer.get_weights()
        if weights and weights[0].ndim >= 2:
            layer.set_weights([weights[0] * np.sqrt(2).astype("float32")] + weights[1:])


def prepare(name, major, rebuild):
    """Writes (once) the model, its input and Keras's output; returns their paths."""
    model_path, input_path, output_path = paths(name, major)
    if not rebuild and all(os.path.exists(p) for p in (model_path, input_path, output_path)):
        return model_path, input_path, output_path
    os.makedirs(CACHE, exist_ok=True)
    keras = common.keras_module(major)
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    model = build(keras, name)
    x = make_inputs(name, rng, common.BATCH)
    calibration = make_inputs(name, np.random.default_rng(100), 32)
    common.randomize(model, rng, calibration, keras)
    if not any(isinstance(layer, keras.layers.BatchNormalization) for layer in model.layers):
        he_scale(model)
    y = common.predict(model, [x])[0]
    common.check_depends_on_input(f"{name}_k{major}", [y])
    model.save(model_path)
    np.save(input_path, x)
    np.save(output_path, y)
    return model_path, input_path, output_path


def run_graft(graft, model_path, input_path, outputs=()):
    """Graft's outputs as {file stem: array}, or its error text."""
    with tempfile.TemporaryDirectory() as folder:
        command = [graft, "run", model_path, "-i", input_path, "-o", folder]
        for output in outputs:
            command += ["--output", output]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            text = (result.stderr + result.stdout).strip()
            return None, text or f"graft exited with status {result.returncode}"
        return {f[:-4]: np.load(os.path.join(folder, f)) for f in os.listdir(folder)}, None


def compare(reference, value):
    """(max abs difference, scale, passed)."""
    if value.shape != reference.shape:
        return float("inf"), 1.0, False
    scale = max(1.0, float(np.max(np.abs(reference))))
    difference = float(np.max(np.abs(value.astype("float64") - reference)))
    return difference, scale, difference <= TOLERANCE * scale


def trace(graft, name, major, model_path, input_path):
    """Compares every single-output layer with Keras's value and prints the first that differs."""
    keras = common.keras_module(major)
    model = keras.models.load_model(model_path, compile=False)
    x = np.load(input_path)
    layers = [layer for layer in model.layers[1:] if not isinstance(layer.output, (list, tuple))]
    probe = keras.Model(model.inputs, [layer.output for layer in layers])
    references = common.predict(probe, [x])
    values, error = run_graft(graft, model_path, input_path, [layer.name for layer in layers])
    if error:
        print(f"    trace: graft failed: {error}")
        return
    for layer, reference in zip(layers, references):
        value = values.get(layer.name.replace("/", "_"))
        if value is None:
            print(f"    trace: no output for {layer.name}")
            return
        difference, scale, passed = compare(reference, value)
        if not passed:
            print(f"    first differing layer: {layer.name} ({layer.__class__.__name__}), "
                  f"max diff {difference:.3g}, scale {scale:.3g}, shapes {reference.shape} / "
                  f"{value.shape}")
            return
    print("    trace: every layer agrees within tolerance")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--graft", required=True, help="the graft executable")
    parser.add_argument("--models", nargs="*", default=list(MODELS), choices=list(MODELS))
    parser.add_argument("--versions", nargs="*", type=int, default=[2, 3], choices=[2, 3])
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached models")
    parser.add_argument("--trace", action="store_true", help="find the first differing layer")
    args = parser.parse_args()
    failures = 0
    total = 0
    print(f"{'model':<20} {'keras':<6} {'max diff':>10} {'scale':>10}  result")
    for name in args.models:
        for major in args.versions:
            total += 1
            model_path, input_path, output_path = prepare(name, major, args.rebuild)
            reference = np.load(output_path)
            values, error = run_graft(args.graft, model_path, input_path)
            if error:
                failures += 1
                print(f"{name:<20} {major:<6} {'-':>10} {'-':>10}  FAIL (refused)")
                print("    " + error.replace("\n", "\n    "))
                continue
            (value,) = values.values()
            difference, scale, passed = compare(reference, value)
            failures += not passed
            print(f"{name:<20} {major:<6} {difference:>10.3g} {scale:>10.3g}  "
                  f"{'PASS' if passed else 'FAIL'}", flush=True)
            if not passed and args.trace:
                trace(args.graft, name, major, model_path, input_path)
    print(f"{total - failures} of {total} passed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
