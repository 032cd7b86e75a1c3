#!/usr/bin/env bash
# Starts JupyterLab with the gonb kernel (run install.sh first, or `make lab`,
# which does both) on the student's own copies of the notebooks: work/ko and
# work/en, copied from notebooks/ when missing and marked trusted, so the
# committed notebooks are never rewritten. It serves 127.0.0.1 only and prints
# the URL to open, token included, once the server answers.
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

# The student's copies: missing notebooks (and the glossaries they link to)
# are copied, existing ones are never touched.
work="${LAB_WORK:-$REPO/work}"
copied=()
for ed in "$REPO"/notebooks/*/; do
	ed="$(basename "$ed")"
	[ -e "$REPO/notebooks/$ed/00_smoke.ipynb" ] || continue
	mkdir -p "$work/$ed"
	for f in "$REPO/notebooks/$ed"/*.ipynb "$REPO/notebooks/$ed"/*.md; do
		[ -e "$f" ] || continue
		if [ ! -e "$work/$ed/$(basename "$f")" ]; then
			cp "$f" "$work/$ed/"
			copied+=("$work/$ed/$(basename "$f")")
		fi
	done
done
if [ "${#copied[@]}" -gt 0 ]; then
	echo "lab/start: copied ${#copied[@]} file(s) from notebooks/ into $work" >&2
	# Trusted: their stored outputs (the live view's curve, HTML) render fully.
	nbs=()
	for f in "${copied[@]}"; do [[ "$f" == *.ipynb ]] && nbs+=("$f"); done
	[ "${#nbs[@]}" -eq 0 ] || "$JUPYTER" trust "${nbs[@]}" >/dev/null 2>&1 || true
fi

args=(--no-browser --ip="$ip" --port="$port")
if [ "$(id -u)" = 0 ]; then
	args+=(--allow-root)
fi
cd "$work"
if [ -x "$(dirname "$JUPYTER")/jupyter-lab" ]; then
	app=lab
	# Go is the default kernel; only warnings and errors reach the terminal,
	# so the URL below is the last thing printed.
	args+=(--ServerApp.root_dir="$work" --ServerApp.port_retries=0
		--MappingKernelManager.default_kernel_name=gonb --ServerApp.log_level=WARN)
else
	app=notebook # Debian's classic Notebook server (no JupyterLab)
	args+=(--NotebookApp.notebook_dir="$work" --NotebookApp.port_retries=0
		--MappingKernelManager.default_kernel_name=gonb --NotebookApp.log_level=WARN)
fi

"$JUPYTER" "$app" "${args[@]}" "$@" &
server=$!
trap 'kill -TERM "$server" 2>/dev/null; wait "$server"' INT TERM
# Wait until the server answers (at most 60 s), then print the URL once.
for _ in $(seq 1 120); do
	if ! kill -0 "$server" 2>/dev/null; then
		wait "$server"
		exit $?
	fi
	if "$py" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
		"http://127.0.0.1:$port/api/status?token=$JUPYTER_TOKEN" 2>/dev/null; then
		break
	fi
	sleep 0.5
done
cat <<MSG

  dlgo lab: Jupyter ($app) on $work (your copies of notebooks/)
  Stop:     Ctrl-C
  Open:     http://127.0.0.1:$port/$( [ "$app" = lab ] && echo lab || echo tree )?token=$JUPYTER_TOKEN

MSG
wait "$server"
