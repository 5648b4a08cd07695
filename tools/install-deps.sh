#!/usr/bin/env bash
# Installs the Debian packages Graft builds against, when any is missing, plus any packages named
# as arguments (tools that need more, such as pip for downloading the ONNX node tests, pass them).
# Swift itself is expected on PATH (Graft is built with Swift 6.3).
set -euo pipefail
packages=(pkg-config libprotobuf-c-dev libhdf5-dev libopenblas-dev libturbojpeg0-dev libpng-dev
  libssl-dev "$@")
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >&2
fi
command -v swift >/dev/null || { echo "error: swift is not on PATH (Swift 6.3 is needed)" >&2; exit 1; }
