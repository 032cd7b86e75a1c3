#!/usr/bin/env bash
# Regenerate the Keras golden fixtures in dl/testdata/keras/.
#
# Creates tools/keras/.venv from requirements.txt (re-created when
# requirements.txt changes), then runs gen_goldens.py with the JAX backend
# on CPU. Extra arguments are passed through, e.g. `--only losses fit`.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"

if [[ ! -x "$venv/bin/python" || ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet -r "$here/requirements.txt"
  echo "$want" > "$stamp"
fi

export KERAS_BACKEND=jax
export JAX_PLATFORMS=cpu
unset COLUMNS LINES
exec "$venv/bin/python" "$here/gen_goldens.py" "$@"
