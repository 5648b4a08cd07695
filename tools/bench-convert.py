"""`graft convert` against tf2onnx on the same Keras files: onnxruntime's speed on each result.

Builds tf-keras MobileNetV2 (alpha 1.0, 224x224) and ResNet-50 with random but sane weights
(weights=None, seed 0, then fixtures/keras/common.py's `randomize` as
tools/check-keras-applications.py does) and the 1000 logits as output (classifier_activation=None:
a softmax over 1000 classes of random weights gives values near 1e-3 whatever the input, which
the comparison below could not tell apart), saves them as legacy .h5 in
${GRAFT_CACHE:-~/.cache/graft}/bench-convert/ with tf2onnx's conversion of the loaded .h5
(`tf2onnx.convert.from_keras` at opset 17, NHWC input kept), once. `graft convert` converts the
same .h5 on every run (its time is printed). Both ONNX files then run in onnxruntime in the same
process, one session each (--threads intra-op threads, one inter-op thread, sequential execution,
onnxruntime's default), --warmup runs each, then --rounds × --runs paired runs at --batch: one run
of each model after the other, the order alternating, since the machine's speed drifts and a pair
sees the same speed. Prints per model the median images/s of each file, the median of the pairs'
ratios graft/tf2onnx with the middle half of them, and each file's node and Transpose counts; the two files' outputs on
2 random images are compared within 1e-4 * max(1, max|tf2onnx's|). Exits 1 if graft's model has a
Transpose other than one reading the input, if the outputs differ, or if graft refuses a model.
Run through tools/bench-convert, which builds Graft in release mode.
"""
import argparse
import importlib.util
import os
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(os.environ.get("GRAFT_CACHE", os.path.expanduser("~/.cache/graft")),
                     "bench-convert")
OPSET = 17
MODELS = {"mobilenetv2": "MobileNetV2", "resnet50": "ResNet50"}


def load_tool(name):
    """A tools/<name>.py script as a module (their file names are not Python identifiers)."""
    spec = importlib.util.spec_from_file_location(name.replace("-", "_"),
                                                  os.path.join(ROOT, "tools", f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_convert = load_tool("check-convert")
common = check_convert.applications.common


def images(count, seed):
    return np.random.default_rng(seed).uniform(-1, 1, (count, 224, 224, 3)).astype(np.float32)


def keras_file(name):
    """The model's .h5 in the cache, built once with random weights."""
    path = os.path.join(CACHE, f"{name}.h5")
    if not os.path.exists(path):
        import tf_keras

        tf_keras.utils.disable_interactive_logging()
        os.makedirs(CACHE, exist_ok=True)
        tf_keras.utils.set_random_seed(0)
        model = getattr(tf_keras.applications, MODELS[name])(
            weights=None, input_shape=(224, 224, 3), classifier_activation=None)
        common.randomize(model, np.random.default_rng(0), images(8, 100), tf_keras)
        common.check_depends_on_input(name, common.predict(model, [images(2, 1)]))
        model.save(path + ".partial.h5")
        os.replace(path + ".partial.h5", path)
    return path


def tf2onnx_file(name, source):
    """tf2onnx's ONNX file of the .h5, converted once."""
    path = os.path.join(CACHE, f"{name}.tf2onnx.onnx")
    if not os.path.exists(path):
        import tensorflow as tf
        import tf_keras
        import tf2onnx

        tf.get_logger().setLevel("ERROR")  # "compiled metrics have yet to be built"
        model = tf_keras.models.load_model(source, compile=False)
        spec = (tf.TensorSpec((None, 224, 224, 3), tf.float32, name="input"),)
        proto, _ = tf2onnx.convert.from_keras(model, input_signature=spec, opset=OPSET)
        with open(path + ".partial", "wb") as f:
            f.write(proto.SerializeToString())
        os.replace(path + ".partial", path)
    return path


def graft_file(graft, name, source):
    """(graft's ONNX file of the .h5, seconds taken), or raises with graft's error."""
    path = os.path.join(CACHE, f"{name}.graft.onnx")
    start = time.perf_counter()
    result = subprocess.run([graft, "convert", source, path, "--opset", str(OPSET)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError((result.stderr + result.stdout).strip()
                           or f"graft exited with status {result.returncode}")
    return path, time.perf_counter() - start


def structure(path):
    """(node count, Transpose count, Transposes other than the single one reading an input)."""
    import onnx

    model = onnx.load(path)
    every, misplaced = check_convert.transposes(model)
    return len(model.graph.node), len(every), misplaced


def agreement(reference_path, path):
    """(max abs difference of the outputs on 2 random images, passed) of two ONNX files."""
    x = images(2, 1)
    (reference,) = check_convert.run_onnxruntime(reference_path, [x])
    (value,) = check_convert.run_onnxruntime(path, [x])
    difference, _, passed = check_convert.applications.compare(reference, value)
    return difference, passed


def interleaved_rates(paths, batch, threads, pairs, warmup):
    """images/s of each model in `pairs` paired runs: one session per model (--threads intra-op
    threads, one inter-op thread), warmed up, then the models run one after the other, the order
    alternating from pair to pair, so that both see the same drift of the machine's speed."""
    import onnxruntime as ort

    sessions = []
    for path in paths:
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        sessions.append(ort.InferenceSession(path, options, providers=["CPUExecutionProvider"]))
    batch_input = np.random.default_rng(0).standard_normal((batch, 224, 224, 3)).astype(np.float32)
    feeds = [{session.get_inputs()[0].name: batch_input} for session in sessions]
    for session, feed in zip(sessions, feeds):
        for _ in range(warmup):
            session.run(None, feed)
    rates = [[] for _ in sessions]
    for pair in range(pairs):
        order = range(len(sessions)) if pair % 2 == 0 else reversed(range(len(sessions)))
        for index in order:
            start = time.perf_counter()
            sessions[index].run(None, feeds[index])
            rates[index].append(batch / (time.perf_counter() - start))
    return rates


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--graft", required=True, help="the graft executable")
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"onnxruntime, batch {args.batch}, {args.threads} threads, "
          f"{args.rounds * args.runs} paired runs after {args.warmup} warm-up; opset {OPSET}")
    failures = 0
    for name in args.models.split(","):
        source = keras_file(name)
        reference = tf2onnx_file(name, source)
        try:
            converted, seconds = graft_file(args.graft, name, source)
        except RuntimeError as error:
            failures += 1
            print(f"{name}: graft convert failed\n    " + str(error).replace("\n", "\n    "))
            continue
        reference_rates, graft_rates = interleaved_rates(
            [reference, converted], args.batch, args.threads, args.rounds * args.runs,
            args.warmup)
        ratios = [g / r for g, r in zip(graft_rates, reference_rates)]
        difference, agrees = agreement(reference, converted)
        print(f"{name} (graft convert {seconds:.1f} s; outputs differ by {difference:.3g}"
              f"{'' if agrees else ', beyond tolerance'})")
        print(f"    {'converter':<10} {'img/s':>8} {'nodes':>6} {'Transposes':>11}")
        for label, path, rates in (("tf2onnx", reference, reference_rates),
                                   ("graft", converted, graft_rates)):
            nodes, transposes, _ = structure(path)
            print(f"    {label:<10} {np.median(rates):>8.1f} {nodes:>6} {transposes:>11}")
        low, high = np.percentile(ratios, [25, 75])
        print(f"    graft/tf2onnx {np.median(ratios):.2f} (middle half of the paired runs "
              f"{low:.2f}–{high:.2f})")
        misplaced = structure(converted)[2]
        if misplaced:
            print("    FAIL: graft's model has Transposes off the input: "
                  + ", ".join(node.name or node.output[0] for node in misplaced))
        failures += bool(misplaced) + (not agrees)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
