#!/usr/bin/env bash
# Checks the lab end to end, as a student gets it: starts the Jupyter server
# with start.sh on a free loopback port, checks that its kernel list has gonb,
# runs a notebook (default: ko/00_smoke.ipynb) through the server's gonb kernel
# cell by cell, checks the outputs it declares, and stops the server. Prints
# each cell's latency, including a warm rerun of the last cell.
#
# The server works on fresh copies of notebooks/ (start.sh's LAB_WORK, in a
# temporary folder under tools/lab/.state, removed afterwards), so the check
# runs the committed notebook, not a student's edited or older copy in work/.
#
# usage: tools/lab/smoke.sh [NOTEBOOK relative to notebooks/]
set -euo pipefail

# shellcheck source=SCRIPTDIR/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

py="$VENV/bin/python"
[ -x "$py" ] || py=/usr/bin/python3
port="$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
token="$("$py" -c 'import secrets; print(secrets.token_hex(24))')"
log="$(mktemp)"
mkdir -p "$STATE"
work="$(mktemp -d "$STATE/smoke-work.XXXXXX")"

start=$(date +%s)
LAB_IP=127.0.0.1 LAB_PORT="$port" LAB_TOKEN="$token" LAB_WORK="$work" "$LAB/start.sh" >"$log" 2>&1 &
pid=$!
stop_server() {
	if kill -TERM "$pid" 2>/dev/null; then
		wait "$pid" 2>/dev/null || true
	fi
}
trap 'stop_server; rm -rf "$log" "$work"' EXIT

if ! "$py" "$LAB/smoke_client.py" "http://127.0.0.1:$port" "$token" "${1:-ko/00_smoke.ipynb}"; then
	echo "lab/smoke: FAILED; the server's log:" >&2
	tail -n 60 "$log" >&2
	exit 1
fi
stop_server
if grep -q "http://127.0.0.1:$port/" "$log"; then
	echo "lab/smoke: start.sh printed the URL: $(grep -o "http://127.0.0.1:$port/[^ ]*" "$log" | head -n 1 | sed 's/token=.*/token=.../')"
else
	echo "lab/smoke: start.sh did not print the URL" >&2
	exit 1
fi
echo "lab/smoke: ok in $(($(date +%s) - start))s"
