#!/usr/bin/env bash
# Runs a fixture generator of tools/pandas with real pandas:
#
#   tools/pandas/run.sh gen_frames.py        # writes dl/prep/testdata/pandas/*.json
#
# Creates tools/pandas/.venv from requirements.txt the first time (and again
# when requirements.txt changes). The Go tests read the committed fixtures and
# never need Python.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [[ ! -x "$venv/bin/python" || ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
	rm -rf "$venv"
	"$python" -m venv "$venv"
	"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
	echo "$want" >"$stamp"
fi
script="${1:?usage: tools/pandas/run.sh SCRIPT.py [args]}"
shift
cd "$here/../.."
exec "$venv/bin/python" "$here/$script" "$@"
