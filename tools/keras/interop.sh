#!/usr/bin/env bash
# Run the Keras interoperability tests of package dl against real Keras:
#
#   TestKerasFiles         dl loads the .keras / .weights.h5 files that Keras
#                          wrote (dl/testdata/keras/files, made by
#                          gen_keras_files.py);
#   TestKerasOpensDLFiles  Keras opens the files dl writes
#                          (check_dl_files.py, run by the Go test).
#
# Python: $DLGO_PYTHON if set (for example a venv with another Keras version:
# DLGO_PYTHON=/tmp/keras35/bin/python tools/keras/interop.sh). Otherwise
# tools/keras/.venv, created or updated from requirements.txt by run.sh: the
# venv logic lives only there, and `run.sh --help` runs it and then merely
# prints the golden generator's usage, so no fixture is rewritten.
#
# Extra arguments go to `go test`, e.g. `-run TestKerasOpensDLFiles`.
# DLGO_KEEP_FILES=DIR keeps the files dl wrote, to try them by hand:
#   python tools/keras/check_dl_files.py DIR
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

if [[ -z "${DLGO_PYTHON:-}" ]]; then
  "$here/run.sh" --help >/dev/null
  export DLGO_PYTHON="$here/.venv/bin/python"
fi
export KERAS_BACKEND="${KERAS_BACKEND:-jax}"
export JAX_PLATFORMS="${JAX_PLATFORMS:-cpu}"
echo "Python: $DLGO_PYTHON ($("$DLGO_PYTHON" -c 'import keras; print("Keras", keras.__version__)' 2>/dev/null || echo 'no Keras'))"

cd "$repo"
exec go test ./dl -run 'TestKerasOpensDLFiles|TestKerasFiles' -count=1 -v "$@"
