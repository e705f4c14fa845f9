# Sourced by run.sh and run-languages.sh: the repository root as working directory, the recipe's Python, and the
# stage banner both logs share.
cd "$(dirname "${BASH_SOURCE[0]}")/../.."  # repository root
export PYTHONPATH="$PWD"
PY=/usr/bin/python3  # Debian's python3-torch / python3-onnx / python3-numpy

stage() { echo "=== $(date +%T) $*"; }
