#!/usr/bin/env bash
# Installs what the notebooks need, and only what is missing:
#   - GoNB v0.11.4 (the Go kernel), goimports, and gopls v0.23.0 (optional),
#     with go install into GOBIN (default: $(go env GOPATH)/bin);
#   - JupyterLab, nbconvert and nbclient from PyPI in a virtual environment
#     in tools/lab/.venv (falling back to Debian's jupyter-nbconvert,
#     jupyter-client and jupyter-notebook packages when pip cannot install);
#   - the gonb kernel, registered inside the venv's Jupyter data dir, with
#     the Go directories on its PATH;
#   - a primed Go build cache, so the first notebook cell does not compile
#     the whole repository and gonum.
# A second run finds everything in place and takes a few seconds.
#
# Used by `make lab`, by .ci/run and by docker/Dockerfile.
#
# Environment:
#   LAB_GOPLS=0       skip gopls (completion and hover only; CI does not need it)
#   LAB_NO_PRIME=1    skip priming the Go build cache
#   LAB_VENV=DIR      put the virtual environment elsewhere
set -euo pipefail

# shellcheck source=SCRIPTDIR/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

GONB_VERSION=v0.11.4
GOIMPORTS_VERSION=v0.52.0
GOPLS_VERSION=v0.23.0

log() { echo "lab/install: $*" >&2; }
mkdir -p "$STATE"

# has_module BINARY MODULE VERSION tells whether BINARY was built from MODULE
# at VERSION (VERSION empty: any version).
has_module() {
	[ -x "$1" ] || return 1
	go version -m "$1" 2>/dev/null | grep -q "$(printf '^\t\\(mod\\|dep\\)\t%s\t%s' "$2" "$3")"
}

# go_install_pinned MODULE VERSION PACKAGE installs PACKAGE from MODULE at
# VERSION through a throwaway module: `go install MODULE@VERSION` needs the
# module's version list, which the module proxy may refuse.
go_install_pinned() {
	local tmp rc=0
	tmp="$(mktemp -d)"
	(cd "$tmp" && go mod init labtools >/dev/null 2>&1 && go get "$1@$2" &&
		GOBIN="$GOBIN_DIR" go install "$3") || rc=$?
	rm -rf "$tmp"
	return "$rc"
}

# 1. GoNB.
if has_module "$GOBIN_DIR/gonb" github.com/janpfeifer/gonb "$GONB_VERSION"; then
	log "gonb $GONB_VERSION: present"
else
	log "gonb $GONB_VERSION: installing"
	go_install_pinned github.com/janpfeifer/gonb "$GONB_VERSION" github.com/janpfeifer/gonb
fi

# 2. goimports (the kernel runs it on every cell).
if command -v goimports >/dev/null 2>&1; then
	log "goimports: present ($(command -v goimports))"
else
	log "goimports: installing"
	GOBIN="$GOBIN_DIR" go install "golang.org/x/tools/cmd/goimports@$GOIMPORTS_VERSION"
fi

# 3. gopls (optional: completion and hover in JupyterLab).
if [ "${LAB_GOPLS:-1}" = 0 ]; then
	log "gopls: skipped (LAB_GOPLS=0)"
elif command -v gopls >/dev/null 2>&1; then
	log "gopls: present ($(command -v gopls))"
elif [ -e "$STATE/gopls-failed" ]; then
	log "gopls: skipped (an earlier install failed; remove $STATE/gopls-failed to retry)"
else
	log "gopls $GOPLS_VERSION: installing (optional)"
	if go_install_pinned golang.org/x/tools/gopls "$GOPLS_VERSION" golang.org/x/tools/gopls; then
		:
	else
		log "gopls: install failed; notebooks work without it (no completion or hover)"
		touch "$STATE/gopls-failed"
	fi
fi

# 4. Jupyter: a venv with JupyterLab from PyPI, or Debian's packages.
req="$LAB/requirements.txt"
req_stamp="$(cat "$req" 2>/dev/null; echo "python=${LAB_PYTHON:-python3}")"
if [ -x "$VENV/bin/jupyter-lab" ] && [ "$(cat "$VENV/.lab-requirements" 2>/dev/null)" = "$req_stamp" ]; then
	log "jupyter: present ($VENV)"
elif [ -e "$STATE/system-jupyter" ] && command -v jupyter-nbconvert >/dev/null 2>&1; then
	log "jupyter: using the system's Jupyter (pip failed earlier; remove $STATE/system-jupyter to retry)"
else
	log "jupyter: installing JupyterLab into $VENV"
	if "${LAB_PYTHON:-python3}" -m venv "$VENV" &&
		"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"; then
		printf '%s' "$req_stamp" >"$VENV/.lab-requirements"
	elif command -v jupyter-nbconvert >/dev/null 2>&1 && command -v jupyter-notebook >/dev/null 2>&1; then
		log "jupyter: pip failed; using the system's Jupyter ($(command -v jupyter))"
		touch "$STATE/system-jupyter"
	else
		log "jupyter: pip failed; installing Debian's jupyter-nbconvert, jupyter-client and jupyter-notebook"
		apt_get=(apt-get)
		if [ "$(id -u)" != 0 ]; then apt_get=(sudo apt-get); fi
		"${apt_get[@]}" update -qq
		DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq --no-install-recommends \
			jupyter-nbconvert jupyter-client jupyter-notebook
		touch "$STATE/system-jupyter"
	fi
fi
# env.sh chose the jupyter command before the install: choose again.
# shellcheck source=SCRIPTDIR/env.sh
source "$LAB/env.sh"
if [ -z "$JUPYTER" ]; then
	log "jupyter: not found after the install"
	exit 1
fi

# 5. The gonb kernel, inside the venv's Jupyter data dir (not ~/.local), with
#    the Go directories on its PATH so that it finds go and goimports however
#    Jupyter was started.
kernel_dir="$VENV/share/jupyter/kernels/gonb"
kernel_path="$GOBIN_DIR:$GOROOT_BIN"
kernel_stamp="$GOBIN_DIR/gonb $kernel_path"
if [ -f "$kernel_dir/kernel.json" ] && [ "$(cat "$STATE/kernel" 2>/dev/null)" = "$kernel_stamp" ]; then
	log "gonb kernel: registered ($kernel_dir)"
else
	log "gonb kernel: registering in $kernel_dir"
	JUPYTER_DATA_DIR="$VENV/share/jupyter" "$GOBIN_DIR/gonb" --install --force_deps
	py="$VENV/bin/python"
	[ -x "$py" ] || py=/usr/bin/python3
	"$py" - "$kernel_dir/kernel.json" "$kernel_path" <<'PY'
import json, sys
path, go_path = sys.argv[1], sys.argv[2]
with open(path) as f:
    spec = json.load(f)
spec.setdefault("env", {})["PATH"] = go_path + ":${PATH}"
with open(path, "w") as f:
    json.dump(spec, f, indent=1)
    f.write("\n")
PY
	printf '%s' "$kernel_stamp" >"$STATE/kernel"
fi

# 5b. JupyterLab's settings for a class: never ask about or fetch the news
#     (the pop-up on first start) and never check for updates.
if [ -d "$VENV/share/jupyter/lab" ]; then
	mkdir -p "$VENV/share/jupyter/lab/settings"
	cat >"$VENV/share/jupyter/lab/settings/overrides.json" <<'JSON'
{
  "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}
}
JSON
fi

# 6. Prime the Go build cache with what a notebook cell builds.
if [ "${LAB_NO_PRIME:-0}" = 1 ]; then
	log "build cache: not primed (LAB_NO_PRIME=1)"
else
	log "build cache: priming"
	if ! (cd "$REPO" && go run ./notebooks/cmd/nbrun -prime); then
		log "build cache: priming failed (the first cell will be slow)"
	fi
fi
log "done"
