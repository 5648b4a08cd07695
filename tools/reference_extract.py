"""The reference feature-extraction pipeline `graft extract` is measured against: Pillow + numpy
preprocessing, onnxruntime inference, h5py output, written the way a careful user would write it.

    python tools/reference_extract.py MODEL DATA --layer L [--layer L2 ...] -o OUT.h5
        [--preset torch|tf|caffe|unit|raw] [--size S] [--batch 32] [--threads 2]
        [--pool avg|max|none] [--json]

DATA is a folder with one subfolder per class (labels are the sorted folder names, images found
recursively), a folder of images (unlabelled), a CSV of `path,label` rows (paths relative to the
CSV's folder, an optional `path,label` header), or an array file (`x.npy`, or `file.h5:/name`)
whose rows are fed to the model as they are. Images are the files ending in .jpg, .jpeg or .png
(any case), in sorted order of their path relative to DATA (their id).

Each image: `PIL.Image.open`, `ImageOps.exif_transpose`, `convert("RGB")`; the shorter side
resized to R = round(S / 0.875) and the longer to int(R * long / short) (torchvision's
`Resize(int)`) with `Image.BILINEAR`; the S×S centre crop starting at round((side - S) / 2); then
the preset in float32: torch (x/255 - mean) / std with ImageNet's mean and std, tf x/127.5 - 1,
caffe BGR order minus (103.939, 116.779, 123.68), unit x/255, raw x. The layout follows the
model's input: NCHW for [N, 3, S, S], NHWC for [N, S, S, 3]; S defaults to the input's size.
An image Pillow cannot read is skipped with a warning on stderr (counted in `skipped`).

The model is cut with onnx: its graph outputs are replaced by the requested values (ONNX value
names, or node names standing for their first output), so onnxruntime prunes what no longer feeds
them. The session uses --threads intra-op threads, one inter-op thread and sequential execution.
Images are decoded one after another in this process, --batch at a time, each batch run at once.
Pooling (--pool avg or max) reduces every axis after the first two of a value of rank > 2 (the
spatial axes of an NCHW feature map); rank-2 values are kept as they are.

Output (h5py), written batch by batch into resizable datasets: `/features/<layer>` float32
[N, D...], `/ids` strings, `/labels` int64 and `/label_names` strings for labelled data; root
attributes model_sha256, layers, preprocessing (JSON), graft_version ("reference"),
rows_complete, pool. `--json` prints one object to stdout: rows, skipped, layers (name → feature
shape), seconds, images_per_second.
"""
import argparse
import csv
import hashlib
import json
import os
import sys
import time

import h5py
import numpy as np
from PIL import Image, ImageOps

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png")
PRESETS = ("torch", "tf", "caffe", "unit", "raw")
MEAN = np.array([0.485, 0.456, 0.406], np.float32)
STD = np.array([0.229, 0.224, 0.225], np.float32)
CAFFE_MEAN = np.array([103.939, 116.779, 123.68], np.float32)


def is_array_file(data):
    """Whether DATA names an array file (`x.npy` or `file.h5:/name`) rather than images."""
    return data.endswith(".npy") or ".h5:" in data or ".hdf5:" in data


def load_array(data):
    """The float32 rows of `x.npy` or `file.h5:/name`."""
    if data.endswith(".npy"):
        return np.load(data).astype(np.float32)
    path, name = data.rsplit(":", 1)
    with h5py.File(path, "r") as f:
        return f[name][()].astype(np.float32)


def list_images(data):
    """(ids, paths, labels or None, label_names or None) of an image collection, sorted by id."""
    if os.path.isdir(data):
        ids = []
        for folder, subfolders, files in os.walk(data):
            subfolders[:] = [s for s in subfolders if not s.startswith(".")]
            ids += [os.path.relpath(os.path.join(folder, f), data) for f in files
                    if not f.startswith(".") and f.lower().endswith(IMAGE_EXTENSIONS)]
        ids.sort()
        paths = [os.path.join(data, i) for i in ids]
        if ids and all("/" in i for i in ids):
            names = sorted({i.split("/")[0] for i in ids})
            index = {n: k for k, n in enumerate(names)}
            return ids, paths, [index[i.split("/")[0]] for i in ids], names
        return ids, paths, None, None
    with open(data, newline="") as f:
        rows = [r for r in csv.reader(f) if any(field.strip() for field in r)]
    if rows and [field.strip().lower() for field in rows[0]] == ["path", "label"]:
        rows = rows[1:]
    rows = sorted((p.strip(), label.strip()) for p, label in rows)
    names = sorted({label for _, label in rows})
    index = {n: k for k, n in enumerate(names)}
    folder = os.path.dirname(data)
    return ([p for p, _ in rows], [os.path.join(folder, p) for p, _ in rows],
            [index[label] for _, label in rows], names)


def preprocess(path, preset, size, layout):
    """The model input (float32, C×S×S for "nchw", S×S×C for "nhwc") for the image at `path`."""
    with Image.open(path) as opened:
        image = ImageOps.exif_transpose(opened).convert("RGB")
    return preprocess_image(image, preset, size, layout)


def preprocess_image(image, preset, size, layout):
    """The model input for an RGB PIL image: shorter side resized to round(S / 0.875), centre
    crop S×S, then the preset's scaling."""
    short = round(size / 0.875)
    width, height = image.size
    if width <= height:
        image = image.resize((short, int(short * height / width)), Image.BILINEAR)
    else:
        image = image.resize((int(short * width / height), short), Image.BILINEAR)
    left = round((image.size[0] - size) / 2)
    top = round((image.size[1] - size) / 2)
    x = np.asarray(image.crop((left, top, left + size, top + size)), dtype=np.float32)
    if preset == "torch":
        x = (x / 255 - MEAN) / STD
    elif preset == "tf":
        x = x / 127.5 - 1
    elif preset == "caffe":
        x = x[:, :, ::-1] - CAFFE_MEAN
    elif preset == "unit":
        x = x / 255
    return np.ascontiguousarray(x.transpose(2, 0, 1) if layout == "nchw" else x, np.float32)


def pool(value, mode):
    """`value` reduced over every axis after the first two (rank > 2 only) by mean or max."""
    if mode == "none" or value.ndim <= 2:
        return value
    axes = tuple(range(2, value.ndim))
    return value.mean(axis=axes) if mode == "avg" else value.max(axis=axes)


def cut_session(model_path, layers, threads):
    """(onnxruntime session whose outputs are `layers`, input name, input dims) of the model."""
    import onnx
    import onnxruntime as ort

    model = onnx.load(model_path)
    graph = model.graph
    first_output = {node.name: node.output[0] for node in graph.node if node.name}
    values = {o for node in graph.node for o in node.output} | {i.name for i in graph.input}
    names = []
    for layer in layers:
        name = layer if layer in values else first_output.get(layer)
        if name is None:
            sys.exit(f"error: '{model_path}' has no value or node named '{layer}'")
        names.append(name)
    del graph.output[:]
    graph.output.extend(onnx.ValueInfoProto(name=n) for n in names)
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    session = ort.InferenceSession(model.SerializeToString(), options,
                                   providers=["CPUExecutionProvider"])
    (model_input,) = session.get_inputs()
    return session, model_input.name, model_input.shape


def input_layout(dims, size):
    """("nchw" or "nhwc", S) for the model input's dims and the requested size (None: the
    input's)."""
    if len(dims) == 4 and dims[1] == 3:
        layout, spatial = "nchw", dims[2]
    elif len(dims) == 4 and dims[3] == 3:
        layout, spatial = "nhwc", dims[1]
    else:
        sys.exit(f"error: the model input {dims} is not an image batch [N,3,S,S] or [N,S,S,3]")
    size = size or (spatial if isinstance(spatial, int) else None)
    if not size:
        sys.exit("error: the model input has no fixed size; give --size")
    return layout, size


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class CacheWriter:
    """The h5py cache: features grown batch by batch, ids and labels written at the end."""

    def __init__(self, path, layers, label_names):
        self.file = h5py.File(path, "w")
        self.layers = layers
        self.label_names = label_names
        self.rows = 0

    def append(self, features):
        for layer, value in zip(self.layers, features):
            key = f"features/{layer}"
            if key not in self.file:
                self.file.create_dataset(key, shape=(0,) + value.shape[1:], dtype=np.float32,
                                         maxshape=(None,) + value.shape[1:], chunks=True)
            dataset = self.file[key]
            dataset.resize(self.rows + len(value), axis=0)
            dataset[self.rows:] = value
        self.rows += len(features[0])

    def finish(self, ids, labels, attributes):
        strings = h5py.string_dtype()
        self.file.create_dataset("ids", data=np.array(ids, dtype=object), dtype=strings)
        if labels is not None:
            self.file.create_dataset("labels", data=np.asarray(labels, np.int64))
            self.file.create_dataset("label_names", data=np.array(self.label_names, dtype=object),
                                     dtype=strings)
        for key, value in attributes.items():
            self.file.attrs[key] = value
        self.file.attrs["rows_complete"] = self.rows
        self.file.close()


def batches(ids, load, batch):
    """Yields (inputs float32 [B, ...], indices) of the items `load(k)` gives, `batch` at a time,
    leaving out (with a warning on stderr naming the id) the images Pillow cannot read."""
    for start in range(0, len(ids), batch):
        inputs, kept = [], []
        for k in range(start, min(start + batch, len(ids))):
            try:
                inputs.append(load(k))
            except (OSError, ValueError, SyntaxError) as error:
                print(f"warning: skipped '{ids[k]}': {error}", file=sys.stderr)
                continue
            kept.append(k)
        if inputs:
            yield np.stack(inputs), kept


def extract(model, data, layers, output, preset="torch", size=None, batch=32, threads=2,
            pool_mode="avg"):
    """Runs the pipeline and writes the cache; returns the `--json` summary as a dict."""
    start = time.perf_counter()
    session, input_name, dims = cut_session(model, layers, threads)
    if is_array_file(data):
        rows = load_array(data)
        ids, labels, label_names = [str(k) for k in range(len(rows))], None, None
        load, preprocessing = rows.__getitem__, {}
    else:
        layout, size = input_layout(dims, size)
        ids, paths, labels, label_names = list_images(data)

        def load(k):
            return preprocess(paths[k], preset, size, layout)

        preprocessing = {"preset": preset, "size": size, "resize_shorter_to": round(size / 0.875),
                         "resample": "bilinear", "layout": layout}
    writer = CacheWriter(output, layers, label_names)
    kept = []
    for inputs, indices in batches(ids, load, batch):
        values = session.run(None, {input_name: inputs})
        writer.append([pool(v, pool_mode).astype(np.float32, copy=False) for v in values])
        kept += indices
    if not kept:
        sys.exit(f"error: '{data}' holds no image Pillow can read")
    shapes = {layer: list(writer.file[f"features/{layer}"].shape[1:]) for layer in layers}
    writer.finish([ids[k] for k in kept], None if labels is None else [labels[k] for k in kept], {
        "model_sha256": sha256(model), "layers": layers,
        "preprocessing": json.dumps(preprocessing), "graft_version": "reference",
        "pool": pool_mode})
    seconds = time.perf_counter() - start
    return {"rows": len(kept), "skipped": len(ids) - len(kept), "layers": shapes,
            "seconds": seconds, "images_per_second": len(kept) / seconds}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model")
    parser.add_argument("data")
    parser.add_argument("--layer", action="append", required=True)
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--preset", choices=PRESETS, default="torch")
    parser.add_argument("--size", type=int)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--pool", choices=("avg", "max", "none"), default="avg")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    summary = extract(args.model, args.data, args.layer, args.output, args.preset, args.size,
                      args.batch, args.threads, args.pool)
    if args.json:
        print(json.dumps(summary))
    else:
        print(f"{summary['rows']} rows ({summary['skipped']} skipped) in "
              f"{summary['seconds']:.1f} s, {summary['images_per_second']:.1f} images/s -> "
              f"{args.output}")


if __name__ == "__main__":
    main()
