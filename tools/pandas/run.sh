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
# shellcheck source=SCRIPTDIR/../pyvenv.sh
source "$here/../pyvenv.sh"
pyvenv "$venv" "$here/requirements.txt"
script="${1:?usage: tools/pandas/run.sh SCRIPT.py [args]}"
shift
cd "$here/../.."
exec "$venv/bin/python" "$here/$script" "$@"
