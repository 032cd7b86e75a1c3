#!/usr/bin/env bash
# Starts Jupyter on notebooks/ with the gonb kernel (run install.sh first, or
# `make lab`, which does both). It serves 127.0.0.1 only and prints the URL to
# open, token included.
#
# Environment:
#   LAB_PORT=8888     first port to try (the next free one is used if taken)
#   LAB_IP=127.0.0.1  address to listen on (the Docker image uses 0.0.0.0)
#   LAB_TOKEN=...     the access token (default: a new random one)
# Extra arguments go to jupyter.
set -euo pipefail

# shellcheck source=SCRIPTDIR/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

if [ -z "$JUPYTER" ] || [ ! -f "$VENV/share/jupyter/kernels/gonb/kernel.json" ]; then
	echo "lab/start: Jupyter or the gonb kernel is not installed: run tools/lab/install.sh (or make lab)" >&2
	exit 1
fi
py="$VENV/bin/python"
[ -x "$py" ] || py=/usr/bin/python3

ip="${LAB_IP:-127.0.0.1}"
# The first free port from LAB_PORT on.
port="$("$py" - "${LAB_PORT:-8888}" "$ip" <<'PY'
import socket, sys
port, ip = int(sys.argv[1]), sys.argv[2]
for p in range(port, port + 50):
    with socket.socket() as s:
        try:
            s.bind((ip, p))
        except OSError:
            continue
        print(p)
        break
else:
    sys.exit("no free port from %d on" % port)
PY
)"
JUPYTER_TOKEN="${LAB_TOKEN:-$("$py" -c 'import secrets; print(secrets.token_hex(24))')}"
export JUPYTER_TOKEN

args=(--no-browser --ip="$ip" --port="$port")
if [ "$(id -u)" = 0 ]; then
	args+=(--allow-root)
fi
cd "$REPO/notebooks"
if [ -x "$(dirname "$JUPYTER")/jupyter-lab" ]; then
	app=lab
	args+=(--ServerApp.root_dir="$REPO/notebooks" --ServerApp.port_retries=0)
else
	app=notebook # Debian's classic Notebook server (no JupyterLab)
	args+=(--NotebookApp.notebook_dir="$REPO/notebooks" --NotebookApp.port_retries=0)
fi

cat <<MSG

  dlgo lab: Jupyter ($app) on $REPO/notebooks
  Open:     http://127.0.0.1:$port/$( [ "$app" = lab ] && echo lab || echo tree )?token=$JUPYTER_TOKEN
  Stop:     Ctrl-C

MSG
exec "$JUPYTER" "$app" "${args[@]}" "$@"
