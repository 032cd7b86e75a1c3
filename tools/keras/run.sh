#!/usr/bin/env bash
# Regenerate the Keras golden fixtures in dl/testdata/keras/.
#
# Creates tools/keras/.venv from requirements.txt (re-created when
# requirements.txt changes), then runs gen_goldens.py with the JAX backend
# on CPU. Extra arguments are passed through, e.g. `--only losses fit`.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
# shellcheck source=SCRIPTDIR/../pyvenv.sh
source "$here/../pyvenv.sh"
pyvenv "$venv" "$here/requirements.txt"

export KERAS_BACKEND=jax
export JAX_PLATFORMS=cpu
unset COLUMNS LINES
exec "$venv/bin/python" "$here/gen_goldens.py" "$@"
