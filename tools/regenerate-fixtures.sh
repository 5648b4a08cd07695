#!/usr/bin/env bash
# Regenerates every golden fixture (fixtures/**/generate.py) with the reference venv's python,
# and every Keras layer script (fixtures/keras_layers/*.py), from the repository root. Optional
# arguments restrict it to fixture folders, e.g.
#   tools/regenerate-fixtures.sh fixtures/onnx/resnet_keras
set -euo pipefail
cd "$(dirname "$0")/.."
python="$(tools/python-env.sh)"
export TF_CPP_MIN_LOG_LEVEL=3 OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
if [ "$#" -gt 0 ]; then
  scripts=()
  for folder in "$@"; do scripts+=("${folder%/}/generate.py"); done
else
  mapfile -t scripts < <({
    find fixtures -name generate.py
    find fixtures/keras_layers -maxdepth 1 -name '*.py' ! -name common.py
  } | sort)
  scripts+=(tools/sklearn_heads.py)  # fixtures/heads: scikit-learn's heads on a small set
fi
for script in "${scripts[@]}"; do
  echo "== $script"
  "$python" "$script"
done
du -sh fixtures
