"""Graft's runtime against ONNX Runtime on the same ONNX files, batch and threads, in one run.

Builds MobileNetV2 (1.0, 224x224) and ResNet-50 from keras applications with random weights,
converts them with tf2onnx into ${GRAFT_CACHE:-~/.cache/graft}/bench (once), then for each model
times onnxruntime and `graft bench` in alternating rounds (--rounds, default 3; the machine's
speed drifts, and alternating exposes both to the same drift) and prints the median images/s of
each, the median of the rounds' ratios Graft/ORT, and the lowest and highest round ratio.
Run through tools/bench, which creates the Python environment and builds Graft in release mode.
"""
import argparse
import json
import os
import subprocess
import time

import numpy as np

CACHE = os.path.join(os.environ.get("GRAFT_CACHE", os.path.expanduser("~/.cache/graft")), "bench")


def build(name):
    path = os.path.join(CACHE, f"{name}.onnx")
    if os.path.exists(path):
        return path
    os.makedirs(CACHE, exist_ok=True)
    import tensorflow as tf
    import tf2onnx

    constructor = {"mobilenetv2": tf.keras.applications.MobileNetV2,
                   "resnet50": tf.keras.applications.ResNet50}[name]
    tf.keras.utils.set_random_seed(0)
    model = constructor(weights=None, input_shape=(224, 224, 3))
    spec = (tf.TensorSpec((None, 224, 224, 3), tf.float32, name="input"),)
    model_proto, _ = tf2onnx.convert.from_keras(model, input_signature=spec, opset=13)
    with open(path + ".partial", "wb") as f:
        f.write(model_proto.SerializeToString())
    os.replace(path + ".partial", path)
    return path


def onnxruntime_rate(path, batch, threads, runs, warmup):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    feed = {session.get_inputs()[0].name:
            np.random.default_rng(0).standard_normal((batch, 224, 224, 3)).astype(np.float32)}
    for _ in range(warmup):
        session.run(None, feed)
    start = time.perf_counter()
    for _ in range(runs):
        session.run(None, feed)
    return batch * runs / (time.perf_counter() - start)


def graft_rate(graft, path, batch, threads, runs, warmup):
    output = subprocess.run(
        [graft, "bench", path, "--batch", str(batch), "--threads", str(threads),
         "--runs", str(runs), "--warmup", str(warmup), "--json"],
        check=True, capture_output=True, text=True).stdout
    return json.loads(output)["images_per_second"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--graft", required=True)
    parser.add_argument("--models", default="mobilenetv2,resnet50")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"batch {args.batch}, {args.threads} threads, {args.rounds} rounds of "
          f"{args.runs} timed runs after {args.warmup} warm-up")
    print(f"{'model':<12} {'ORT img/s':>10} {'Graft img/s':>12} {'Graft/ORT':>10} {'range':>11}")
    for name in args.models.split(","):
        path = build(name)
        ort_rates, graft_rates = [], []
        for _ in range(args.rounds):
            ort_rates.append(onnxruntime_rate(path, args.batch, args.threads, args.runs, args.warmup))
            graft_rates.append(graft_rate(args.graft, path, args.batch, args.threads, args.runs,
                                          args.warmup))
        ratios = [graft / ort for graft, ort in zip(graft_rates, ort_rates)]
        print(f"{name:<12} {np.median(ort_rates):>10.1f} {np.median(graft_rates):>12.1f} "
              f"{np.median(ratios):>10.2f} {min(ratios):>5.2f}–{max(ratios):.2f}")

if __name__ == "__main__":
    main()
