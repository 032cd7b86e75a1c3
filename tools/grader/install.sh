#!/usr/bin/env bash
# Installs nbgrader for the course's Go assignments, only what is missing:
#   - nbgrader (tools/grader/requirements.txt) in tools/grader/.venv, beside
#     the lab's venv so that the lab's JupyterLab stays as it is;
#   - a kernel spec "gonb-raw": the lab's gonb kernel with plain-text compile
#     errors, used when grading (assignments/nbgrader_config.py).
# Needs the lab (tools/lab/install.sh, run first when missing).
set -euo pipefail

# shellcheck source=../lab/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lab/env.sh"
GRADER="$REPO/tools/grader"
GVENV="$GRADER/.venv"
log() { echo "grader/install: $*" >&2; }

spec="$VENV/share/jupyter/kernels/gonb/kernel.json"
if [ ! -f "$spec" ]; then
	log "the lab is not installed: running tools/lab/install.sh"
	LAB_GOPLS="${LAB_GOPLS:-0}" "$REPO/tools/lab/install.sh"
fi

if [ -x "$GVENV/bin/nbgrader" ] && cmp -s "$GRADER/requirements.txt" "$GVENV/.requirements"; then
	log "nbgrader: present"
else
	py=/usr/bin/python3
	[ -x "$py" ] || py="$(command -v python3)"
	log "nbgrader: installing into tools/grader/.venv (about 20 s)"
	start=$(date +%s)
	"$py" -m venv "$GVENV"
	"$GVENV/bin/pip" install --quiet --disable-pip-version-check -r "$GRADER/requirements.txt"
	cp "$GRADER/requirements.txt" "$GVENV/.requirements"
	log "nbgrader: installed in $(($(date +%s) - start)) s"
fi

raw="$GVENV/share/jupyter/kernels/gonb-raw"
mkdir -p "$raw"
"$GVENV/bin/python" - "$spec" "$raw/kernel.json" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
spec["argv"] = [a for a in spec["argv"] if not a.startswith("-raw_error") and not a.startswith("--raw_error")]
spec["argv"].insert(3, "-raw_error=true")
spec["display_name"] = "Go (gonb, plain-text errors)"
json.dump(spec, open(sys.argv[2], "w"), indent=1)
PY
log "kernel gonb-raw: $raw"
