#!/usr/bin/env bash
# Start JupyterLab on notebooks/ with the given jupyter executable (make lab passes .venv's).
# Jupyter refuses to run as root without --allow-root; root is the usual user in a container or a
# lab VM, so the flag is added there, and only there (a normal user never needs it).
set -euo pipefail
jupyter="${1:?usage: scripts/lab.sh PATH/TO/jupyter [jupyter lab options]}"
shift
cd "$(dirname "$0")/.."
extra=()
if [ "$(id -u)" = "0" ]; then
    extra+=(--allow-root)
fi
exec "$jupyter" lab notebooks/ "${extra[@]}" "$@"
