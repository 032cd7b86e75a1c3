# shellcheck shell=bash
# pyvenv DIR REQUIREMENTS: makes DIR a Python virtual environment with
# exactly the pinned REQUIREMENTS, re-created when that file changes (a
# stamp in DIR remembers its checksum). Sourced by tools/keras/run.sh and
# tools/pandas/run.sh; $PYTHON picks the interpreter (default python3).
pyvenv() {
	local venv="$1" req="$2" stamp want
	stamp="$venv/.requirements.sha256"
	want="$(sha256sum "$req" | cut -d' ' -f1)"
	if [[ ! -x "$venv/bin/python" || ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
		rm -rf "$venv"
		"${PYTHON:-python3}" -m venv "$venv"
		"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
		echo "$want" >"$stamp"
	fi
}
