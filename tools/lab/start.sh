#!/usr/bin/env bash
# Starts JupyterLab with the gonb kernel (run install.sh first, or `make lab`,
# which does both) on the student's own copies of the notebooks, work/ko and
# work/en, so the committed notebooks are never rewritten. Missing copies are
# made from notebooks/; a notebook the course changed since it was copied (after
# a git pull) arrives beside the student's as NAME.updated-DATE.ipynb, never
# over it (copy_notebooks.py; the class hub's rules). New copies are marked
# trusted. It serves 127.0.0.1 only and prints the URL to open, token
# included, once the server answers. Ctrl-C stops the server and its kernels.
#
# Environment:
#   LAB_WORK=DIR      where the copies live (default: work/ in the repository)
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

# The student's copies of the notebooks (and of the glossaries they link to).
work="${LAB_WORK:-$REPO/work}"
written="$("$py" "$LAB/copy_notebooks.py" "$REPO/notebooks" "$work")"
if [ -n "$written" ]; then
	# Trusted: their stored outputs (the live view's curve, HTML) render fully.
	mapfile -t written <<<"$written"
	"$JUPYTER" trust "${written[@]}" >/dev/null 2>&1 || true
fi

args=(--no-browser --ip="$ip" --port="$port")
if [ "$(id -u)" = 0 ]; then
	args+=(--allow-root)
fi
cd "$work"
if [ -x "$(dirname "$JUPYTER")/jupyter-lab" ]; then
	app=lab
	# Go is the default kernel; only warnings and errors reach the terminal
	# (JupyterLab's own log included), so the URL below is the last thing
	# printed. The kernel status and websocket settings are in the venv's
	# jupyter_server_config.py (install.sh puts it there).
	args+=(--ServerApp.root_dir="$work" --ServerApp.port_retries=0
		--MappingKernelManager.default_kernel_name=gonb
		--ServerApp.log_level=WARN --LabApp.log_level=WARN)
else
	app=notebook # Debian's classic Notebook server (no JupyterLab)
	args+=(--NotebookApp.notebook_dir="$work" --NotebookApp.port_retries=0
		--MappingKernelManager.default_kernel_name=gonb --NotebookApp.log_level=WARN)
fi

# The address to open: this machine's loopback when listening on all
# addresses (the Docker image: the container's port published on the host).
case "$ip" in
0.0.0.0 | "" | "*") host=127.0.0.1 ;;
:: | "[::]") host="[::1]" ;;
*:*) host="[$ip]" ;;
*) host="$ip" ;;
esac

# Jupyter runs in the background, where Ctrl-C does not reach it (bash
# ignores SIGINT for a script's background jobs); the script gets it and
# sends the server SIGTERM, upon which the server shuts its kernels down and
# exits.
"$JUPYTER" "$app" "${args[@]}" "$@" &
server=$!
stop() {
	# A second Ctrl-C kills the server without waiting for it.
	trap 'kill -KILL "$server" 2>/dev/null || true' INT
	trap '' TERM
	echo "lab/start: stopping Jupyter and its kernels (Ctrl-C again to kill it)" >&2
	kill -TERM "$server" 2>/dev/null || true
	while kill -0 "$server" 2>/dev/null; do
		wait "$server" 2>/dev/null || true
	done
	echo "lab/start: stopped" >&2
	exit "$1"
}
trap 'stop 130' INT
trap 'stop 143' TERM
# Wait until the server answers (at most 60 s), then print the URL once.
for _ in $(seq 1 120); do
	if ! kill -0 "$server" 2>/dev/null; then
		wait "$server" && rc=0 || rc=$?
		echo "lab/start: Jupyter exited (status $rc) before it answered; its messages are above" >&2
		exit "$rc"
	fi
	if "$py" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
		"http://$host:$port/api/status?token=$JUPYTER_TOKEN" 2>/dev/null; then
		break
	fi
	sleep 0.5
done
cat <<MSG

  dlgo lab: Jupyter ($app) on $work (your copies of notebooks/)
  Stop:     Ctrl-C
  Open:     http://$host:$port/$( [ "$app" = lab ] && echo lab || echo tree )?token=$JUPYTER_TOKEN

MSG
wait "$server" && rc=0 || rc=$?
exit "$rc"
