#!/usr/bin/env bash
# make assignments: writes the instructor's notebooks of every assignment
# (assignments/*.nbsrc, both languages) into assignments/source/NAME_LANG/,
# then lets nbgrader generate the student release into assignments/release/.
#
# usage: tools/grader/assignments.sh [COURSE_DIR]   (default: assignments)
set -euo pipefail

# shellcheck source=../lab/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lab/env.sh"
"$REPO/tools/grader/install.sh"
GVENV="$REPO/tools/grader/.venv"
export PATH="$GVENV/bin:$PATH"
export JUPYTER_PATH="$GVENV/share/jupyter:$JUPYTER_PATH"

course="$(cd "${1:-$REPO/assignments}" && pwd)"
(cd "$REPO" && go run ./course/cmd/nbgen -nbgrader -src assignments -out "$course/source") >&2
cd "$course"
for dir in source/*/; do
	name="$(basename "$dir")"
	nbgrader generate_assignment "$name" --force --log-level=WARN
	echo "assignments: $course/release/$name"
done
