#!/usr/bin/env bash
# Regenerates Sources/COnnxProto from the onnx-ml.proto shipped in the pinned onnx wheel.
# Needs protoc-c (Debian: protobuf-c-compiler) and pip; the output is committed, so building
# Graft never needs either.
set -euo pipefail
version=1.22.0
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
command -v protoc-c >/dev/null || apt-get install -y protobuf-c-compiler
python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 \
  --platform manylinux_2_28_x86_64 -d "$work" "onnx==$version"
python3 - "$work" <<'PY'
import sys, zipfile, glob
wheel = glob.glob(sys.argv[1] + "/onnx-*.whl")[0]
with zipfile.ZipFile(wheel) as z:
    open(sys.argv[1] + "/onnx-ml.proto", "wb").write(z.read("onnx/onnx-ml.proto"))
PY
(cd "$work" && protoc-c --c_out=. onnx-ml.proto)
out="$root/Sources/COnnxProto"
mkdir -p "$out/include"
cp "$work/onnx-ml.pb-c.c" "$out/"
cp "$work/onnx-ml.pb-c.h" "$out/include/"
cp "$work/onnx-ml.proto" "$out/"
echo "generated from onnx $version into $out"
