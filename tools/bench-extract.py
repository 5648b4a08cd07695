"""`graft extract` against the reference pipeline (tools/reference_extract.py: Pillow decoding and
preprocessing, onnxruntime, h5py) on the same JPEG folder: images/s, peak memory, same features.

Generates (once, seeded) N JPEGs of ImageNet-like sizes (mostly 500×375 and 375×500, some
500×333, 333×500, 500×500 and 640×480; smooth multi-scale noise plus grain at quality 90, so they
compress like photos, ~50-60 KB each) in 10 class folders under
${GRAFT_CACHE:-~/.cache/graft}/bench-extract/images-N/. The model is tools/bench's MobileNetV2
(tf2onnx, 224×224 NHWC input, random weights; built once into ~/.cache/graft/bench/), cut at the
value feeding its last Gemm or MatMul (the pooled features, [N, 1280]).

For each N in --images (comma-separated), after reading every file once (so neither tool meets a
cold page cache), runs --rounds rounds of `graft extract MODEL DIR --layer CUT -o … --preset torch
--batch B --threads T --json` and `python tools/reference_extract.py` with the same arguments,
the order alternating from round to round (the machine's speed drifts). Each runs as a child
process under /usr/bin/time -f %M for its peak resident memory (or getrusage's ru_maxrss of the
children when /usr/bin/time is missing, which then only measures the largest child so far).
images/s is rows / wall-clock seconds of the whole process (start-up and model loading
included); images per CPU-second is rows / (user + system seconds) of the child, which on a
machine shared with other work drifts less than wall-clock time and shows the work done. Prints
per N the medians of both rates for each, the median ratio graft/reference of images/s, each
one's peak memory, and how far the two caches' features differ: max |graft - reference| / max
|reference| over the rows of identical ids (they must be the same ids, labels and rows). With
several N, prints how each tool's peak memory grows from the smallest N to the largest.
Run through tools/bench-extract, which builds Graft in release mode when its binary is missing.
Exits 1 when graft fails or the caches disagree beyond 1e-3 (relative).
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(os.environ.get("GRAFT_CACHE", os.path.expanduser("~/.cache/graft")),
                     "bench-extract")
SIZES = [((500, 375), 0.45), ((375, 500), 0.2), ((500, 333), 0.15), ((333, 500), 0.05),
         ((500, 500), 0.1), ((640, 480), 0.05)]
CLASSES = 10
TOLERANCE = 1e-3


def photo(rng, width, height):
    """A photo-like RGB image: random colour fields at three scales, bicubic-smooth, plus grain."""
    total = np.zeros((height, width, 3), np.float32)
    for cells, weight in [(3, 0.5), (12, 0.3), (48, 0.2)]:
        small = rng.integers(0, 256, (max(2, cells * height // width), cells, 3), dtype=np.uint8)
        total += weight * np.asarray(Image.fromarray(small).resize((width, height),
                                                                    Image.BICUBIC), np.float32)
    total += rng.normal(0, 6, total.shape).astype(np.float32)
    return Image.fromarray(np.clip(total, 0, 255).astype(np.uint8))


def image_folder(count):
    """The folder of `count` generated JPEGs, made once (in a .partial folder, then renamed)."""
    folder = os.path.join(CACHE, f"images-{count}")
    if os.path.isdir(folder):
        return folder
    partial = folder + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    print(f"generating {count} JPEGs into {folder} (once)", file=sys.stderr)
    sizes, weights = zip(*SIZES)
    for k in range(CLASSES):
        os.makedirs(os.path.join(partial, f"class_{k:02d}"))
    for i in range(count):
        rng = np.random.default_rng([6, i])
        width, height = sizes[rng.choice(len(sizes), p=weights)]
        photo(rng, width, height).save(
            os.path.join(partial, f"class_{i % CLASSES:02d}", f"{i:06d}.jpg"), quality=90)
    os.replace(partial, folder)
    return folder


def warm(folder):
    """Reads every file once so that the page cache holds them for both tools; returns bytes."""
    total = 0
    for directory, _, files in os.walk(folder):
        for name in files:
            with open(os.path.join(directory, name), "rb") as f:
                total += len(f.read())
    return total


def model_and_cut():
    """(tools/bench's MobileNetV2 ONNX file, the value feeding its last Gemm or MatMul)."""
    import importlib.util

    import onnx

    spec = importlib.util.spec_from_file_location("bench", os.path.join(ROOT, "tools", "bench.py"))
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    path = bench.build("mobilenetv2")
    graph = onnx.load(path, load_external_data=False).graph
    last = next(n for n in reversed(graph.node) if n.op_type in ("Gemm", "MatMul"))
    return path, last.input[0]


def timed(command):
    """(wall seconds, CPU seconds (user + system), peak RSS in MB, stdout) of a child process;
    raises with its stderr on failure."""
    use_time = os.path.exists("/usr/bin/time")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        prefix = ["/usr/bin/time", "-o", rss.name, "-f", "%M"] if use_time else []
        start = time.perf_counter()
        result = subprocess.run(prefix + command, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if result.returncode != 0:
            raise RuntimeError((result.stderr + result.stdout).strip()[-3000:]
                               or f"exit status {result.returncode}")
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if use_time:
            peak = int(rss.read().split()[-1]) / 1024
        else:
            peak = after.ru_maxrss / 1024
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, cpu, peak, result.stdout


def features(path, layer):
    """(ids, labels, features) of a cache; the layer's dataset found under /features even when its
    name's slashes were not taken as HDF5 groups."""
    with h5py.File(path, "r") as f:
        found = []
        f["features"].visititems(
            lambda name, item: found.append(name) if isinstance(item, h5py.Dataset) else None)
        name = layer if layer in found else (found[0] if len(found) == 1 else None)
        if name is None:
            raise KeyError(f"'{path}' has no /features/{layer} (datasets: {found})")
        ids = [i.decode() if isinstance(i, bytes) else i for i in f["ids"][()]]
        labels = f["labels"][()] if "labels" in f else None
        return ids, labels, f["features"][name][()]


def compare(graft_path, reference_path, layer):
    """max |graft - reference| / max |reference| of the layer's features, or an error text when
    the two caches do not hold the same rows."""
    graft_ids, graft_labels, graft = features(graft_path, layer)
    ids, labels, reference = features(reference_path, layer)
    if graft_ids != ids:
        return f"different ids ({len(graft_ids)} rows against {len(ids)})"
    if (graft_labels is None) != (labels is None) or (
            labels is not None and not np.array_equal(graft_labels, labels)):
        return "different labels"
    if graft.shape != reference.shape:
        return f"features of shape {list(graft.shape)} against {list(reference.shape)}"
    return float(np.abs(graft - reference).max() / np.abs(reference).max())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--graft", required=True, help="the graft executable")
    parser.add_argument("--images", default="2000", help="image counts, comma-separated")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    model, cut = model_and_cut()
    counts = [int(n) for n in args.images.split(",")]
    print(f"MobileNetV2 (tf2onnx, 224x224 NHWC) cut at {cut}; preset torch, batch {args.batch}, "
          f"{args.threads} threads, {args.rounds} round(s), order alternating")
    common = ["--layer", cut, "--preset", "torch", "--batch", str(args.batch), "--threads",
              str(args.threads), "--json"]
    peaks = {}
    failures = 0
    scratch = tempfile.mkdtemp(prefix="bench-extract-")
    try:
        for count in counts:
            folder = image_folder(count)
            megabytes = warm(folder) / 1e6
            outputs = {"graft": os.path.join(scratch, "graft.h5"),
                       "reference": os.path.join(scratch, "reference.h5")}
            commands = {
                "graft": [args.graft, "extract", model, folder, "-o", outputs["graft"]] + common,
                "reference": [sys.executable, os.path.join(ROOT, "tools", "reference_extract.py"),
                              model, folder, "-o", outputs["reference"]] + common}
            rates = {name: [] for name in commands}
            cpu_rates = {name: [] for name in commands}
            memory = {name: [] for name in commands}
            errors = {}
            for round_index in range(args.rounds):
                order = list(commands) if round_index % 2 == 0 else list(reversed(commands))
                for name in order:
                    if name in errors:
                        continue
                    for leftover in (outputs[name], outputs[name] + ".partial",
                                     outputs[name] + ".partial.progress"):
                        if os.path.exists(leftover):
                            os.remove(leftover)
                    try:
                        seconds, cpu, peak, stdout = timed(commands[name])
                    except RuntimeError as error:
                        errors[name] = str(error)
                        continue
                    rows = json.loads(stdout)["rows"]
                    rates[name].append(rows / seconds)
                    cpu_rates[name].append(rows / cpu)
                    memory[name].append(peak)
            print(f"{count} images ({megabytes:.0f} MB of JPEG)")
            print(f"    {'pipeline':<10} {'img/s':>8} {'img/CPU-s':>10} {'peak MB':>8}")
            for name in commands:
                if name in errors:
                    failures += 1
                    print(f"    {name:<10} failed:\n        "
                          + errors[name].replace("\n", "\n        "))
                    continue
                peaks.setdefault(name, {})[count] = max(memory[name])
                print(f"    {name:<10} {np.median(rates[name]):>8.1f} "
                      f"{np.median(cpu_rates[name]):>10.1f} {max(memory[name]):>8.0f}")
            if not errors:
                ratios = [g / r for g, r in zip(rates["graft"], rates["reference"])]
                print(f"    graft/reference {np.median(ratios):.2f} (rounds: "
                      + ", ".join(f"{r:.2f}" for r in ratios) + ")")
                difference = compare(outputs["graft"], outputs["reference"], cut)
                if isinstance(difference, str) or difference > TOLERANCE:
                    failures += 1
                    shown = difference if isinstance(difference, str) else f"{difference:.3g}"
                    print(f"    FAIL: the caches differ: {shown}")
                else:
                    print(f"    features agree: max |graft - reference| / max |reference| = "
                          f"{difference:.3g}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if len(counts) > 1:
        smallest, largest = min(counts), max(counts)
        for name, by_count in peaks.items():
            if smallest in by_count and largest in by_count:
                growth = by_count[largest] / by_count[smallest]
                print(f"{name} peak memory: {by_count[smallest]:.0f} MB at {smallest} images, "
                      f"{by_count[largest]:.0f} MB at {largest} ({growth:.2f}x)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
