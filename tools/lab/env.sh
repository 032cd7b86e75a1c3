# shellcheck shell=bash
# Shared settings of the lab scripts (sourced by install.sh, start.sh and smoke.sh).
#
# After sourcing: REPO (repository root), LAB (tools/lab), VENV (Jupyter's
# virtual environment), STATE (install state), GOBIN_DIR (where go install puts
# binaries), PATH with Go, GOBIN_DIR and the venv first, JUPYTER_PATH with the
# venv's data dir (where the gonb kernel is registered), and JUPYTER (the
# jupyter command to use, possibly empty when Jupyter is not installed yet).

LAB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$LAB/../.." && pwd)"
VENV="${LAB_VENV:-$LAB/.venv}"
STATE="$LAB/.state"
export LAB REPO VENV STATE

# Go: the official install location is used when go is not on PATH.
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
	PATH="/usr/local/go/bin:$PATH"
fi
if ! command -v go >/dev/null 2>&1; then
	echo "lab: go is not installed; install Go 1.26 first (the official tarball puts it in /usr/local/go)" >&2
	exit 1
fi
GOBIN_DIR="$(go env GOBIN)"
if [ -z "$GOBIN_DIR" ]; then
	GOBIN_DIR="$(go env GOPATH | cut -d: -f1)/bin"
fi
GOROOT_BIN="$(go env GOROOT)/bin"
export GOBIN_DIR
PATH="$VENV/bin:$GOBIN_DIR:$GOROOT_BIN:$PATH"
export PATH

# The kernel spec lives in the venv's data dir; JUPYTER_PATH makes a system
# Jupyter (the Debian fallback) find it too.
export JUPYTER_PATH="$VENV/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
# Quiet jupyter_core's deprecation warning about platform dirs.
export JUPYTER_PLATFORM_DIRS=1

JUPYTER=""
if [ -x "$VENV/bin/jupyter" ]; then
	JUPYTER="$VENV/bin/jupyter"
elif [ -x /usr/bin/jupyter ]; then
	JUPYTER=/usr/bin/jupyter
fi
export JUPYTER
