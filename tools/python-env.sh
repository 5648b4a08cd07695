#!/usr/bin/env bash
# Creates (once) the Python virtual environment used to regenerate fixtures and run benchmarks.
# It lives outside the repository, in ${GRAFT_CACHE:-~/.cache/graft}/venv; Graft itself and its
# tests never need it. Prints the venv's python path on stdout.
set -euo pipefail
cache="${GRAFT_CACHE:-$HOME/.cache/graft}"
venv="$cache/venv"
stamp="$venv/.graft-requirements"
requirements="$(dirname "$0")/requirements.txt"
if [ ! -f "$stamp" ] || ! cmp -s "$stamp" "$requirements"; then
  mkdir -p "$cache"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --upgrade pip >&2
  "$venv/bin/pip" install --quiet -r "$requirements" >&2
  cp "$requirements" "$stamp"
fi
echo "$venv/bin/python"
