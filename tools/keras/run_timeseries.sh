#!/usr/bin/env bash
# Train chapter 9's models in Keras and write dl/testdata/keras/timeseries.json.
# Uses the virtual environment that run.sh creates from requirements.txt.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ ! -x "$here/.venv/bin/python" ]]; then
  "$here/run.sh" --help >/dev/null
fi
export KERAS_BACKEND=jax JAX_PLATFORMS=cpu
exec "$here/.venv/bin/python" "$here/gen_timeseries.py" "$@"
