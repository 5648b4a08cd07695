"""`graft convert` on every ONNX and Keras model fixture, checked by onnx and run by onnxruntime.

Cases: each fixtures/onnx/<name>/model.onnx and each fixtures/keras/<name>/k2|k3 model (loaded as
its fixture.json says, with --config for the weights-only files) is converted at the default
opset (17, or an ONNX source's own when newer); a few (OPSET_VARIANTS) also with --opset 13 and
--opset 21; every Keras model also with --inputs-as-nchw, fed its input transposed to channels
first. fixtures/bad_onnx and fixtures/keras/bad are bad-input fixtures and are not cases.
Each converted file must
- name the expected opset for the default domain and pass
  onnx.checker.check_model(model, full_check=True);
- declare the fixture's input shapes and, run in onnxruntime on the fixture's inputs, give every
  reference output (same count, shape and dtype) within 1e-4 * max(1, max|reference|) as
  tools/check-keras-applications.py compares (integer and boolean outputs exactly);
- for a Keras model, contain no Transpose but at most one per graph input converting its layout
  and those returning an output in Keras's layout (see `transposes`; none on an image input with
  --inputs-as-nchw, which is already NCHW): layout is folded into the weights, so any other
  Transpose is a bug (see DESIGN.md).
Each fixture with a cuts.json is also converted with --output for each cut (default opset, NHWC)
and compared with its cut_<i>.npy.
The cases in MAY_REFUSE may be refused instead, with an `error:` naming what cannot be written
(unsupported_ops' com.microsoft and TopK ops; opset-18 Resize attributes at --opset 13).
One line per case: PASS/FAIL, max diff, tolerance, node and Transpose counts; then a summary;
exits 1 if anything fails.
Run through tools/check-convert, which builds Graft in release mode.
"""
import argparse
import glob
import importlib.util
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_spec = importlib.util.spec_from_file_location(
    "applications", os.path.join(ROOT, "tools", "check-keras-applications.py"))
applications = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(applications)

DEFAULT_OPSET = 17
NEWEST_OPSET = 21
# Fixtures also converted at opsets 13 and 21: axes as inputs or attributes (Squeeze, Reduce*),
# Resize and Pad spellings, ops newer than 13 (HardSwish, LayerNormalization, Gelu).
OPSET_VARIANTS = {"onnx/resnet_keras", "onnx/efficientnet_style", "onnx/convtranspose_resize",
                  "onnx/single_ops_opset13", "onnx/single_ops_opset18", "onnx/single_ops_opset20",
                  "keras/mobilenetv3/k3", "keras/efficientnet/k2", "keras/resnet/k3",
                  "keras/text/k2"}
# Cases (fixture, --opset) Graft cannot convert: a refusal naming what it cannot write passes.
MAY_REFUSE = {("onnx/unsupported_ops", None): ("TopK", "FusedMatMul", "NonMaxSuppression"),
              ("onnx/single_ops_opset18", 13): ("antialias needs opset 18",
                                                "axes needs opset 18")}


class Case:
    """One conversion: the source file (and --config), the options, the arrays to compare.

    `inputs` maps the source's input names (None for a Keras model's) to arrays, in order;
    `cuts` are --output names, whose values `outputs` then holds."""

    def __init__(self, fixture, source, config, opsets, nchw, inputs, outputs, keras, cuts=()):
        self.fixture, self.source, self.config = fixture, source, config
        (self.requested, self.opset), self.nchw, self.keras = opsets, nchw, keras
        self.inputs, self.outputs, self.cuts = inputs, outputs, cuts

    @property
    def label(self):
        opset = f"--opset {self.requested}" if self.requested else f"opset {self.opset}"
        return (f"{self.fixture} {opset}" + (" nchw" if self.nchw else "")
                + (" cuts" if self.cuts else ""))

    def arguments(self, output):
        arguments = ["convert", self.source, output]
        if self.config:
            arguments += ["--config", self.config]
        if self.requested:
            arguments += ["--opset", str(self.requested)]
        if self.nchw:
            arguments.append("--inputs-as-nchw")
        for cut in self.cuts:
            arguments += ["--output", cut]
        return arguments

    def feed(self, names):
        """The input arrays for graph inputs `names`: by name when the source's names are known
        and include them all (a cut model may need fewer), else by position."""
        arrays = dict(self.inputs)
        if None not in arrays and all(name in arrays for name in names):
            chosen = [arrays[name] for name in names]
        elif len(names) == len(self.inputs):
            chosen = [array for _, array in self.inputs]
        else:
            raise ValueError(f"graph inputs {names}, the fixture has {len(self.inputs)} inputs")
        return [channels_first(array) if self.nchw else array for array in chosen]


def opsets(fixture, source_opset=0):
    """(--opset given or None, the opset expected in the result) for each conversion."""
    default = min(NEWEST_OPSET, max(DEFAULT_OPSET, source_opset))
    variants = [(13, 13), (21, 21)] if fixture in OPSET_VARIANTS else []
    return [(None, default)] + variants


def cut_case(fixture, folder, source, config, inputs, keras, pair):
    """The conversion cut at the fixture's cuts.json names, or None when it has none."""
    path = os.path.join(folder, "cuts.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        cuts = json.load(f)
    return Case(fixture, source, config, pair, False, inputs, numbered(folder, "cut", len(cuts)),
                keras, cuts)


def numbered(folder, stem, count=None):
    """`<stem>_0.npy`, `<stem>_1.npy`, … (all that exist when count is None)."""
    if count is None:
        count = len(glob.glob(os.path.join(folder, f"{stem}_*.npy")))
    return [np.load(os.path.join(folder, f"{stem}_{i}.npy")) for i in range(count)]


def onnx_cases():
    import onnx

    cases = []
    for folder in sorted(glob.glob(os.path.join(ROOT, "fixtures", "onnx", "*", ""))):
        folder = folder.rstrip("/")
        model = os.path.join(folder, "model.onnx")
        if not os.path.exists(model) or not os.path.exists(os.path.join(folder, "types.json")):
            continue
        with open(os.path.join(folder, "types.json")) as f:
            types = json.load(f)
        fixture = "onnx/" + os.path.basename(folder)
        inputs = list(zip(types["inputs"], numbered(folder, "input", len(types["inputs"]))))
        outputs = numbered(folder, "output", len(types["outputs"]))
        source_opset = default_opset(onnx.load(model, load_external_data=False))
        pairs = opsets(fixture, source_opset)
        cases += [Case(fixture, model, None, pair, False, inputs, outputs, False)
                  for pair in pairs]
        cut = cut_case(fixture, folder, model, None, inputs, False, pairs[0])
        if cut:
            cases.append(cut)
    return cases


def keras_cases():
    cases = []
    pattern = os.path.join(ROOT, "fixtures", "keras", "*", "k[23]", "fixture.json")
    for description in sorted(glob.glob(pattern)):
        folder = os.path.dirname(description)
        with open(description) as f:
            fixture_json = json.load(f)
        fixture = os.path.relpath(folder, os.path.join(ROOT, "fixtures"))
        source = os.path.join(folder, fixture_json["model"])
        config = fixture_json["config"] and os.path.join(folder, fixture_json["config"])
        inputs = [(None, array) for array in numbered(folder, "input")]
        outputs = numbered(folder, "output")
        for pair in opsets(fixture):
            for nchw in (False, True):
                cases.append(Case(fixture, source, config, pair, nchw, inputs, outputs, True))
        cut = cut_case(fixture, folder, source, config, inputs, True, opsets(fixture)[0])
        if cut:
            cases.append(cut)
    return cases


def channels_first(array):
    """An NHWC (or NWC, NDHWC) array moved to NCHW; arrays of rank 2 or less are unchanged."""
    return np.moveaxis(array, -1, 1) if array.ndim >= 3 else array


def transposes(model, nchw=False):
    """(every Transpose node, the misplaced ones): those that only move axes of size 1 (a
    Reshape would do), and all others but those writing a graph output, directly or through
    Flatten and Reshape only (an NCHW feature map returned in Keras's NHWC layout or element
    order), and one per graph input that converts its
    layout, reading either the input itself (not with --inputs-as-nchw, whose input is already
    NCHW) or an embedding lookup of it (a Gather by the input's tokens, whose [N, L, C] result a
    Conv1D needs as [N, C, L]: no weight can absorb that Transpose)."""
    graph_inputs = {value.name for value in model.graph.input}
    graph_outputs = {value.name for value in model.graph.output}
    shapes = inferred_shapes(model)

    def returned(value):
        readers = [node for node in model.graph.node if value in node.input]
        return value in graph_outputs or bool(readers) and all(
            node.op_type in ("Flatten", "Reshape") and returned(node.output[0])
            for node in readers)

    lookups = {node.output[0]: node.input[1] for node in model.graph.node
               if node.op_type == "Gather" and node.input[1] in graph_inputs}
    nodes = [node for node in model.graph.node if node.op_type == "Transpose"]
    converted = []
    for node in nodes:
        source = lookups.get(node.input[0]) or (None if nchw else node.input[0])
        converted.append(source if source in graph_inputs else None)
    misplaced = [node for node, source in zip(nodes, converted)
                 if moves_only_ones(shapes, node) or not returned(node.output[0])
                 and (source is None or converted.count(source) > 1)]
    return nodes, misplaced


def inferred_shapes(model):
    """{value name: dims (None where unknown)} as onnx's shape inference gives them."""
    import onnx

    graph = onnx.shape_inference.infer_shapes(model).graph
    return {value.name: [d.dim_value if d.HasField("dim_value") else None
                         for d in value.type.tensor_type.shape.dim]
            for value in [*graph.input, *graph.value_info, *graph.output]}


def moves_only_ones(shapes, node):
    """Whether a Transpose keeps the order of its input's axes longer than 1."""
    shape = shapes.get(node.input[0])
    perm = next((list(a.ints) for a in node.attribute if a.name == "perm"), None)
    if not shape or perm is None:
        return False
    kept = [axis for axis in perm if shape[axis] != 1]
    return kept == sorted(kept)


def default_opset(model):
    """The model's default-domain opset (0 when it imports none)."""
    return next((entry.version for entry in model.opset_import if entry.domain in ("", "ai.onnx")),
                0)


def run_onnxruntime(path, inputs):
    """The model's outputs on `inputs` (given in graph input order), single-threaded."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    declared = session.get_inputs()
    if len(declared) != len(inputs):
        raise ValueError(f"{len(declared)} graph inputs, the fixture has {len(inputs)}")
    return session.run(None, {value.name: array for value, array in zip(declared, inputs)})


def check(graft, case, folder):
    """(passed, detail, max diff, tolerance, node count, Transpose count) of one case."""
    import onnx

    output = os.path.join(folder, case.label.replace("/", "_").replace(" ", "_") + ".onnx")
    result = subprocess.run([graft, *case.arguments(output)], capture_output=True, text=True)
    if result.returncode != 0:
        error = (result.stderr + result.stdout).strip() or f"exit status {result.returncode}"
        names = MAY_REFUSE.get((case.fixture, case.requested), ())
        refused = names and error.startswith("error:") and all(n in error for n in names)
        return bool(refused), ("refused as expected: " if refused else "refused: ") + error, \
            None, None, None, None
    model = onnx.load(output)
    nodes = len(model.graph.node)
    every, misplaced = transposes(model, case.nchw)
    facts = (nodes, len(every))
    if default_opset(model) != case.opset:
        return False, f"default-domain opset {default_opset(model)}", None, None, *facts
    try:
        onnx.checker.check_model(model, full_check=True)
    except Exception as error:  # onnx raises several checker and inference error types
        return False, f"onnx checker: {error}", None, None, *facts
    try:
        inputs = case.feed([value.name for value in model.graph.input])
    except ValueError as error:
        return False, str(error), None, None, *facts
    for value, array in zip(model.graph.input, inputs):
        dims = [d.dim_value or d.dim_param or "?" for d in value.type.tensor_type.shape.dim]
        if len(dims) != array.ndim or any(isinstance(d, int) and d != n
                                          for d, n in zip(dims, array.shape)):
            layout = " (channels first)" if case.nchw and array.ndim >= 3 else ""
            return False, (f"input '{value.name}' is declared {dims}, the fixture's input"
                           f"{layout} is {list(array.shape)}"), None, None, *facts
    try:
        values = run_onnxruntime(output, inputs)
    except Exception as error:  # onnxruntime's errors have no common public base class
        return False, f"onnxruntime: {error}", None, None, *facts
    if len(values) != len(case.outputs):
        return False, f"{len(values)} outputs, expected {len(case.outputs)}", None, None, *facts
    worst, tolerance, problems = 0.0, 0.0, []
    for index, (value, reference) in enumerate(zip(values, case.outputs)):
        difference, scale, passed = applications.compare(reference, value)
        if not np.issubdtype(reference.dtype, np.floating):
            scale, passed = 0.0, difference == 0  # integers and booleans must be equal
        worst, tolerance = max(worst, difference), max(tolerance, applications.TOLERANCE * scale)
        if value.dtype != reference.dtype:
            problems.append(f"output {index} is {value.dtype}, expected {reference.dtype}")
        elif value.shape != reference.shape:
            problems.append(f"output {index} has shape {value.shape}, expected {reference.shape}")
        elif not passed:
            problems.append(f"output {index} differs by {difference:.3g}")
    if case.keras and misplaced:
        names = [node.name or node.output[0] for node in misplaced]
        problems.append(f"Transposes off the input: {', '.join(names[:5])}"
                        + (f" and {len(names) - 5} more" if len(names) > 5 else ""))
    return not problems, "; ".join(problems), worst, tolerance, *facts


def cell(value, form):
    """A table cell: the value formatted, or "-" when it was not measured."""
    return format(value, form) if value is not None else "-"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--graft", required=True, help="the graft executable")
    parser.add_argument("--only", nargs="*", default=[],
                        help="run only the fixtures whose name contains one of these")
    parser.add_argument("--keep", help="write the converted files into this folder")
    args = parser.parse_args()
    cases = [case for case in onnx_cases() + keras_cases()
             if not args.only or any(part in case.fixture for part in args.only)]
    failures = 0
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or scratch
        os.makedirs(folder, exist_ok=True)
        print(f"{'':<4} {'case':<40} {'max diff':>9} {'tolerance':>9} {'nodes':>6} {'transp':>6}")
        for case in cases:
            passed, detail, worst, tolerance, nodes, count = check(args.graft, case, folder)
            failures += not passed
            print(f"{'PASS' if passed else 'FAIL'} {case.label:<40} {cell(worst, '9.2g'):>9} "
                  f"{cell(tolerance, '9.2g'):>9} {cell(nodes, '6d'):>6} {cell(count, '6d'):>6}",
                  flush=True)
            if detail:
                print("    " + detail.replace("\n", "\n    ")[:2000])
    print(f"{len(cases) - failures} of {len(cases)} passed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
