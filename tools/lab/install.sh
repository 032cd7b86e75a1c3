#!/usr/bin/env bash
# Installs what the notebooks need, and only what is missing:
#   - GoNB v0.11.4 (the Go kernel), goimports, and gopls v0.23.0 (optional),
#     with go install into GOBIN (default: $(go env GOPATH)/bin);
#   - JupyterLab, nbconvert and nbclient from PyPI in a virtual environment
#     in tools/lab/.venv (falling back to Debian's jupyter-nbconvert,
#     jupyter-client and jupyter-notebook packages when pip cannot install);
#   - the gonb kernel, registered inside the venv's Jupyter data dir, with
#     the Go directories on its PATH and its log kept out of the terminal;
#   - the server's settings (jupyter_server_config.py) and JupyterLab's
#     (no news pop-up; new notebooks start the Go kernel), inside the venv;
#   - a primed Go build cache, so the first notebook cell does not compile
#     the whole repository and gonum.
# Each long step says what it does and about how long it takes on 2 cores
# before it starts, and how long it took after. A second run finds
# everything in place and takes a few seconds.
#
# Used by `make lab`, by .ci/run and by docker/Dockerfile.
#
# Environment:
#   LAB_GOPLS=0       skip gopls (completion and hover only; CI does not need it)
#   LAB_NO_PRIME=1    skip priming the Go build cache
#   LAB_VENV=DIR      put the virtual environment elsewhere
#   LAB_KERNEL_LOG=1  register the kernel with GoNB's own log on stderr (in the
#                     terminal that started Jupyter), for debugging the kernel
set -euo pipefail

# shellcheck source=SCRIPTDIR/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

GONB_VERSION=v0.11.4
GOIMPORTS_VERSION=v0.52.0
GOPLS_VERSION=v0.23.0

log() { echo "lab/install: $*" >&2; }
mkdir -p "$STATE"
install_start=$SECONDS
# step WHAT ABOUT says what a long step does and about how long it takes;
# took then says how long it took.
step() {
	step_t0=$SECONDS
	log "$1 (about $2)..."
}
took() { echo "took $((SECONDS - step_t0)) s"; }

# has_module BINARY MODULE VERSION tells whether BINARY was built from MODULE
# at VERSION (VERSION empty: any version).
has_module() {
	[ -x "$1" ] || return 1
	grep -q "$(printf '^\t\\(mod\\|dep\\)\t%s\t%s' "$2" "$3")" <<<"$(go version -m "$1" 2>/dev/null)"
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
	step "gonb $GONB_VERSION: downloading and building the Go kernel with go install" "40 s"
	go_install_pinned github.com/janpfeifer/gonb "$GONB_VERSION" github.com/janpfeifer/gonb
	log "gonb $GONB_VERSION: installed in $GOBIN_DIR ($(took))"
fi

# 2. goimports (the kernel runs it on every cell).
if command -v goimports >/dev/null 2>&1; then
	log "goimports: present ($(command -v goimports))"
else
	step "goimports $GOIMPORTS_VERSION (the kernel formats each cell with it): downloading and building it with go install" "15 s"
	GOBIN="$GOBIN_DIR" go install "golang.org/x/tools/cmd/goimports@$GOIMPORTS_VERSION"
	log "goimports: installed in $GOBIN_DIR ($(took))"
fi

# 3. gopls (optional: completion and hover in JupyterLab).
if [ "${LAB_GOPLS:-1}" = 0 ]; then
	log "gopls: skipped (LAB_GOPLS=0)"
elif command -v gopls >/dev/null 2>&1; then
	log "gopls: present ($(command -v gopls))"
elif [ -e "$STATE/gopls-failed" ]; then
	log "gopls: skipped (an earlier install failed; remove $STATE/gopls-failed to retry)"
else
	step "gopls $GOPLS_VERSION (optional: completion and hover): downloading and building it with go install" "90 s"
	if go_install_pinned golang.org/x/tools/gopls "$GOPLS_VERSION" golang.org/x/tools/gopls; then
		log "gopls $GOPLS_VERSION: installed in $GOBIN_DIR ($(took))"
	else
		log "gopls: install failed ($(took)); notebooks work without it (no completion or hover)"
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
	step "jupyter: installing JupyterLab, nbconvert and nbclient into $VENV with pip" "40 s"
	if "${LAB_PYTHON:-python3}" -m venv "$VENV" &&
		"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"; then
		printf '%s' "$req_stamp" >"$VENV/.lab-requirements"
		log "jupyter: installed ($(took))"
	elif command -v jupyter-nbconvert >/dev/null 2>&1 && command -v jupyter-notebook >/dev/null 2>&1; then
		log "jupyter: pip failed ($(took)); using the system's Jupyter ($(command -v jupyter))"
		touch "$STATE/system-jupyter"
	else
		step "jupyter: pip failed ($(took)); installing Debian's jupyter-nbconvert, jupyter-client and jupyter-notebook with apt-get" "1 min"
		apt_get=(apt-get)
		if [ "$(id -u)" != 0 ]; then apt_get=(sudo apt-get); fi
		"${apt_get[@]}" update -qq
		DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq --no-install-recommends \
			jupyter-nbconvert jupyter-client jupyter-notebook
		touch "$STATE/system-jupyter"
		log "jupyter: Debian's packages installed ($(took))"
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
#    Jupyter was started. GoNB logs every kernel start, cell and shutdown to
#    stderr, which is the terminal that started Jupyter (with a bogus "Error
#    message" line at each start and a goroutine trace at each shutdown), so
#    its log is dropped; fatal errors (such as go not found) still show.
#    -log_file=/dev/null keeps klog from writing log files into /tmp instead.
kernel_dir="$VENV/share/jupyter/kernels/gonb"
kernel_path="$GOBIN_DIR:$GOROOT_BIN"
kernel_log=(-logtostderr=false -alsologtostderr=false -log_file=/dev/null -stderrthreshold=FATAL)
if [ "${LAB_KERNEL_LOG:-0}" = 1 ]; then
	kernel_log=() # GoNB's defaults: everything to stderr
fi
kernel_stamp="$GOBIN_DIR/gonb $kernel_path ${kernel_log[*]}"
if [ -f "$kernel_dir/kernel.json" ] && [ "$(cat "$STATE/kernel" 2>/dev/null)" = "$kernel_stamp" ]; then
	log "gonb kernel: registered ($kernel_dir)"
else
	log "gonb kernel: registering in $kernel_dir"
	JUPYTER_DATA_DIR="$VENV/share/jupyter" "$GOBIN_DIR/gonb" --install --force_deps "${kernel_log[@]}"
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

# 5b. The server's settings (the kernel status shown before the first cell,
#     the websocket ping warning: see the file), in the venv's config dir
#     where any server started from the venv reads them.
if [ -x "$VENV/bin/jupyter-server" ]; then
	mkdir -p "$VENV/etc/jupyter"
	cp "$LAB/jupyter_server_config.py" "$VENV/etc/jupyter/jupyter_server_config.py"
fi

# 5c. JupyterLab's settings for a class: never ask about or fetch the news
#     (the pop-up on first start), never check for updates, and start a new
#     notebook with the preferred kernel (Go, start.sh's default) instead of
#     asking which kernel in a dialog (overrides.json).
if [ -d "$VENV/share/jupyter/lab" ]; then
	mkdir -p "$VENV/share/jupyter/lab/settings"
	cp "$LAB/overrides.json" "$VENV/share/jupyter/lab/settings/overrides.json"
fi

# 6. Prime the Go build cache with what a notebook cell builds.
if [ "${LAB_NO_PRIME:-0}" = 1 ]; then
	log "build cache: not primed (LAB_NO_PRIME=1)"
else
	step "build cache: compiling dl, gonum/plot and gonbui once, so that the first cell takes seconds, not half a minute" "30 s the first time, a few seconds later"
	if (cd "$REPO" && go run ./tools/nbrun/cmd/nbrun -prime); then
		log "build cache: primed ($(took))"
	else
		log "build cache: priming failed ($(took)); the first cell will be slow"
	fi
fi
log "done in $((SECONDS - install_start)) s"
